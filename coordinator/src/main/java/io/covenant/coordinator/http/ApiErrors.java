package io.covenant.coordinator.http;

import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every error the API returns, whatever raised it, as one JSON shape with the right status: {@code {"error": "what was
 * wrong and what to do"}}. Micronaut's own errors (no such route, wrong method, wrong content type, an unconvertible
 * query parameter) are rewritten here too, so a client needs one error parser; what Micronaut answers before any
 * handler can run (a request Netty would not read whole) gets the same shape from {@link ApiErrorResponses}. Messages
 * never carry key material or data values (the exceptions they come from are written not to).
 */
@Hidden
@Controller
final class ApiErrors {

  private final Router router;

  ApiErrors(Router router) {
    this.router = router;
  }

  static MutableHttpResponse<String> respond(HttpStatus status, String message) {
    return HttpResponse.<String>status(status).body(Json.obj("error", message).encode()).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Error(global = true, status = HttpStatus.NOT_FOUND)
  HttpResponse<String> noRoute(HttpRequest<?> request) {
    return respond(HttpStatus.NOT_FOUND, "there is no " + request.getPath() + " in this API; its routes are listed in /api/openapi.yml");
  }

  /** RFC 9110 section 15.5.6: a 405 must name, in {@code Allow}, the methods the resource does take. */
  @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
  HttpResponse<String> wrongMethod(HttpRequest<?> request) {
    Set<String> allowed = new TreeSet<>();
    router.findAny(request.getPath(), request).forEach(m -> allowed.add(m.getHttpMethod().name()));
    // Micronaut answers HEAD wherever it answers GET.
    if (allowed.contains("GET")) allowed.add("HEAD");
    return respond(HttpStatus.METHOD_NOT_ALLOWED, request.getMethodName() + " is not allowed on " + request.getPath() + "; it takes "
        + String.join(", ", allowed) + " (the methods each route takes are listed in /api/openapi.yml)")
        .header(HttpHeaders.ALLOW, String.join(", ", allowed));
  }

  /** A URL whose percent-encoding is broken ({@code %zz}): the request cannot be routed at all (RFC 3986 section 2.1). */
  @Error(global = true, exception = URISyntaxException.class)
  HttpResponse<String> unreadableUrl(URISyntaxException e) {
    return respond(HttpStatus.BAD_REQUEST, "the request's URL cannot be read (" + e.getReason() + " at character " + e.getIndex()
        + "); percent-encode it as RFC 3986 section 2.1 says: '%' followed by two hex digits");
  }

  @Error(global = true, status = HttpStatus.UNSUPPORTED_MEDIA_TYPE)
  HttpResponse<String> wrongMediaType(HttpRequest<?> request) {
    String given = request.getContentType().map(MediaType::toString).orElse("none");
    return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "the body's content type is " + given + "; send JSON with the header 'Content-Type: application/json'");
  }

  @Error(global = true, status = HttpStatus.NOT_ACCEPTABLE)
  HttpResponse<String> notAcceptable(HttpRequest<?> request) {
    return respond(HttpStatus.NOT_ACCEPTABLE, request.getPath() + " cannot answer in " + request.getHeaders().get("Accept")
        + "; accept application/json (or application/octet-stream for a sealed result)");
  }

  @Error(global = true, exception = MalformedInputException.class)
  HttpResponse<String> malformed(MalformedInputException e) {
    return respond(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @Error(global = true, exception = UnknownResourceException.class)
  HttpResponse<String> unknown(UnknownResourceException e) {
    return respond(HttpStatus.NOT_FOUND, e.getMessage());
  }

  @Error(global = true, exception = UnprovenClaimException.class)
  HttpResponse<String> unproven(UnprovenClaimException e) {
    return respond(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
  }

  @Error(global = true, exception = CallerForbiddenException.class)
  HttpResponse<String> forbidden(CallerForbiddenException e) {
    return respond(HttpStatus.FORBIDDEN, e.getMessage());
  }

  @Error(global = true, exception = CallerUnauthenticatedException.class)
  HttpResponse<String> unauthenticated(CallerUnauthenticatedException e) {
    return respond(HttpStatus.UNAUTHORIZED, e.getMessage());
  }

  @Error(global = true, exception = IntegrityException.class)
  HttpResponse<String> integrity(IntegrityException e) {
    return respond(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
  }

  /** A refusal: the request was understood, but the coordinator's state or its checks do not allow it. */
  @Error(global = true, exception = CovenantException.class)
  HttpResponse<String> refused(CovenantException e) {
    return respond(HttpStatus.CONFLICT, e.getMessage());
  }

  @Error(global = true, exception = ConversionErrorException.class)
  HttpResponse<String> unconvertible(ConversionErrorException e) {
    return respond(HttpStatus.BAD_REQUEST, "parameter '" + e.getArgument().getName() + "' could not be read: "
        + e.getConversionError().getOriginalValue().map(v -> "'" + v + "' is not a " + typeName(e.getArgument())).orElse(e.getMessage()));
  }

  @Error(global = true, exception = UnsatisfiedRouteException.class)
  HttpResponse<String> missing(HttpRequest<?> request, UnsatisfiedRouteException e) {
    String name = e.getArgument().getName();
    if (e.getArgument().getAnnotationMetadata().hasAnnotation(Body.class)) {
      return respond(HttpStatus.BAD_REQUEST, "the request has no body; this route takes a JSON body, described in /api/openapi.yml");
    }
    // Micronaut reports a value it could not convert as missing; say which it was.
    return request.getParameters().getFirst(name)
        .map(given -> respond(HttpStatus.BAD_REQUEST, "parameter '" + name + "' could not be read: '" + given + "' is not a " + typeName(e.getArgument())))
        .orElseGet(() -> respond(HttpStatus.BAD_REQUEST, "parameter '" + name + "' is required; see /api/openapi.yml for this route's parameters"));
  }

  @Error(global = true, exception = ContentLengthExceededException.class)
  HttpResponse<String> tooLarge(ContentLengthExceededException e) {
    return respond(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than this server accepts (" + e.getMessage()
        + "); a job submission is a few kilobytes, a block at most " + io.covenant.storage.blockstore.HttpBlockstore.MAX_BLOCK_BYTES + " bytes");
  }

  /** Any other status Micronaut raises (for instance 413 for an oversized body), in the same shape. */
  @Error(global = true, exception = HttpStatusException.class)
  HttpResponse<String> status(HttpStatusException e) {
    return respond(e.getStatus(), e.getMessage());
  }

  /** A bug: the message names nothing internal; the request can be reported with the time it failed. */
  @Error(global = true, exception = Throwable.class)
  HttpResponse<String> unexpected(HttpRequest<?> request, Throwable e) {
    // The operator's console is the server's log: the details go there, not to the caller.
    System.err.println("covenant serve: unexpected failure on " + request.getMethodName() + " " + request.getPath());
    e.printStackTrace(System.err);
    return respond(HttpStatus.INTERNAL_SERVER_ERROR, "the coordinator failed on " + request.getMethodName() + " " + request.getPath()
        + " (" + e.getClass().getSimpleName() + "); this is a bug: please report it with the request you sent");
  }

  private static String typeName(Argument<?> a) {
    Class<?> t = a.getType();
    return t == Integer.class || t == int.class || t == Long.class || t == long.class ? "whole number" : t.getSimpleName();
  }

}
