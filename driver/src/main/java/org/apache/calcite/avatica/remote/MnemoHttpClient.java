package org.apache.calcite.avatica.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Avatica's HTTP client for {@code jdbc:mnemo:remote:}, bounding its retry loop. Avatica's client sends a request
 * again, without end and without a pause, whenever the server closes the connection without an answer or answers
 * 503: a plain-HTTP client of an HTTPS server meets the first on every try and spun forever at full CPU. This client
 * fails after {@link #MAX_UNANSWERED} unanswered tries in a row (one is normal: a pooled connection the server had
 * closed), and pauses between 503 answers (a server draining requests at shutdown), failing after
 * {@link #MAX_UNAVAILABLE}. The counts are per request (each request's tries run on its caller's thread). It lives in
 * Avatica's package because the method it overrides is package-private.
 */
public final class MnemoHttpClient extends AvaticaCommonsHttpClientImpl {
    static final int MAX_UNANSWERED = 3;
    static final int MAX_UNAVAILABLE = 20;
    private static final ThreadLocal<int[]> FAILURES = ThreadLocal.withInitial(() -> new int[2]);
    private final URL url;

    public MnemoHttpClient(URL url) {
        super(url);
        this.url = url;
    }

    /** Sends one request; the counts of unanswered and unavailable tries start afresh with each. */
    @Override
    public byte[] send(byte[] request) {
        try {
            return super.send(request);
        } finally {
            FAILURES.remove();
        }
    }

    @Override
    ClassicHttpResponse executeOpen(HttpHost httpHost, HttpPost post, HttpClientContext context) throws IOException {
        int[] failures = FAILURES.get();
        ClassicHttpResponse response;
        try {
            response = super.executeOpen(httpHost, post, context);
        } catch (NoHttpResponseException e) {
            if (++failures[0] >= MAX_UNANSWERED) {
                failures[0] = 0;
                throw new UncheckedIOException("the server at " + url + " closed the connection without an answer "
                        + MAX_UNANSWERED + " times in a row" + ("http".equals(url.getProtocol())
                        ? " (if it serves HTTPS, add ;ssl=true to the URL)" : ""), e);
            }
            throw e;
        }
        failures[0] = 0;
        if (response.getCode() != java.net.HttpURLConnection.HTTP_UNAVAILABLE) {
            failures[1] = 0;
            return response;
        }
        if (++failures[1] >= MAX_UNAVAILABLE) {
            failures[1] = 0;
            response.close();
            throw new UncheckedIOException(new IOException("the server at " + url + " answered 503 (unavailable) "
                    + MAX_UNAVAILABLE + " times in a row"));
        }
        try {
            Thread.sleep(Math.min(1000, 50L * failures[1]));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.close();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while the server at " + url
                    + " was unavailable"));
        }
        return response; // Avatica's loop sends again
    }
}
