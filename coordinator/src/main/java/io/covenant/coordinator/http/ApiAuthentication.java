package io.covenant.coordinator.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Over mutual TLS ({@code serve --tls}), every request, whatever its route, comes from a consortium member that is not
 * revoked: checked here before routing, so a route that forgot to ask who is calling still cannot be reached
 * anonymously. What each member may do is decided by the route ({@link Caller}).
 */
@ServerFilter("/**")
@Requires(property = "covenant.tls", value = "true")
final class ApiAuthentication {
  private final Callers callers;

  ApiAuthentication(Callers callers) {
    this.callers = callers;
  }

  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Nullable
  HttpResponse<?> authenticate(HttpRequest<?> request) {
    try {
      callers.of(request);
      return null;
    } catch (CallerUnauthenticatedException e) {
      return ApiErrors.respond(HttpStatus.UNAUTHORIZED, e.getMessage());
    } catch (CallerForbiddenException e) {
      return ApiErrors.respond(HttpStatus.FORBIDDEN, e.getMessage());
    }
  }
}
