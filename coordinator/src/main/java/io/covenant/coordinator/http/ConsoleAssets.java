package io.covenant.coordinator.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The web console's static files ({@code coordinator/console/}, built by npm into the jar's {@code console/} folder at
 * package time), served by the same process as the API and behind the same authentication: over mutual TLS the
 * {@link ApiAuthentication} filter covers {@code /**}, so a browser without a member's certificate gets nothing, not
 * even the page. The page itself holds nothing secret; every piece of data it shows comes from the API with the
 * caller's roles. The Content-Security-Policy allows scripts, styles and requests from this origin only: the console
 * loads nothing from a CDN, and a page that tried to would be blocked.
 */
@Hidden
@Controller("/console")
public final class ConsoleAssets {
  static final String RESOURCE_ROOT = "console/";
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "json", MediaType.APPLICATION_JSON, "png", "image/png", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

  @Get("/")
  public HttpResponse<?> index() throws IOException {
    return asset("index.html");
  }

  @Get("/{+path}")
  public HttpResponse<?> file(@PathVariable String path) throws IOException {
    return asset(path);
  }

  private HttpResponse<?> asset(String path) throws IOException {
    // Only plain relative names of this build's files: no parent steps, no absolute paths, nothing outside console/.
    if (path.isEmpty() || path.startsWith("/") || path.contains("..") || path.contains("\\") || !path.matches("[A-Za-z0-9._/-]+")) {
      throw new UnknownResourceException("no console file '" + path + "'; open /console/");
    }
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + path)) {
      if (in == null) {
        if (path.equals("index.html")) {
          throw new UnknownResourceException("this build carries no web console; rebuild the coordinator with npm on the PATH "
              + "(the build runs 'npm ci' and 'npm run build' in coordinator/console), see docs/console.md");
        }
        throw new UnknownResourceException("no console file '" + path + "'; open /console/");
      }
      String ext = path.substring(path.lastIndexOf('.') + 1);
      // Vite names the built scripts and styles by their content's hash: those never change, index.html always may.
      String cache = path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
      return HttpResponse.ok(in.readAllBytes())
          .contentType(TYPES.getOrDefault(ext, MediaType.APPLICATION_OCTET_STREAM))
          .header("Content-Security-Policy", CSP)
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer")
          .header("Cache-Control", cache);
    }
  }
}
