package io.covenant.coordinator.http;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;

/**
 * The errors Micronaut answers by itself, where no handler of {@link ApiErrors} can run: a request Netty could not
 * read whole (its request line or headers beyond Netty's limits) is refused before it has a route, and Micronaut would
 * answer 413 with its own HATEOAS body. This writes the API's one shape instead, with the status RFC 9110 section
 * 15.5.15 (414 URI Too Long) or RFC 6585 section 5 (431 Request Header Fields Too Large) gives for what was too long.
 */
@Singleton
@Primary
final class ApiErrorResponses implements ErrorResponseProcessor<String> {

  @Override
  public MutableHttpResponse<String> processResponse(ErrorContext error, MutableHttpResponse<?> response) {
    HttpRequest<?> request = error.getRequest();
    Throwable unread = request instanceof NettyHttpRequest<?> n && n.getNativeRequest().decoderResult().isFailure()
        ? n.getNativeRequest().decoderResult().cause() : null;
    HttpStatus status = response.getStatus();
    String message;
    if (unread instanceof TooLongHttpLineException) {
      status = HttpStatus.REQUEST_URI_TOO_LONG;
      message = "the request's URL is longer than this server reads; the API's parameters are a few short values (see /api/openapi.yml), so send each once";
    } else if (unread instanceof TooLongHttpHeaderException) {
      status = HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      message = "the request's headers are larger than this server reads; send only the headers the API needs (Content-Type, Accept)";
    } else if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      message = "the request is larger than this server accepts; a job submission is a few kilobytes";
    } else {
      String said = error.getErrors().stream().map(e -> e.getMessage()).filter(m -> m != null && !m.isBlank()).findFirst().orElse(status.getReason());
      message = "the server could not take this request (" + said + "); see /api/openapi.yml for what each route takes";
    }
    return ApiErrors.respond(status, message);
  }
}
