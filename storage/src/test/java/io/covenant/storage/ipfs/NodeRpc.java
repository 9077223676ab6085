package io.covenant.storage.ipfs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Direct RPC calls for checks that must not go through the client under test. */
final class NodeRpc {
  private NodeRpc() {}

  static String post(URI api, String pathAndQuery, byte[] multipartFile) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/api/v0/" + pathAndQuery)).timeout(Duration.ofSeconds(30));
    if (multipartFile == null) b.POST(HttpRequest.BodyPublishers.noBody());
    else {
      String boundary = "test-boundary-7f3a";
      byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] body = new byte[head.length + multipartFile.length + tail.length];
      System.arraycopy(head, 0, body, 0, head.length);
      System.arraycopy(multipartFile, 0, body, head.length, multipartFile.length);
      System.arraycopy(tail, 0, body, head.length + multipartFile.length, tail.length);
      b.header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IOException(pathAndQuery + " answered HTTP " + r.statusCode() + ": " + r.body());
      return r.body();
    }
  }
}
