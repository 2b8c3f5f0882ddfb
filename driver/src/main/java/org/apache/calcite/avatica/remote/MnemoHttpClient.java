package org.apache.calcite.avatica.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.client5.http.classic.methods.HttpPost;

/**
 * Avatica's HTTP client for {@code jdbc:mnemo:remote:}, bounding one retry loop. Avatica's client sends a request
 * again, without end, whenever the server closes the connection without an answer; a plain-HTTP client of an HTTPS
 * server meets exactly that on every try and spun forever at full CPU. After {@link #MAX_UNANSWERED} unanswered
 * tries in a row this client fails instead. (One unanswered try is normal: a pooled connection the server closed.)
 * It lives in Avatica's package because the method it overrides is package-private.
 */
public final class MnemoHttpClient extends AvaticaCommonsHttpClientImpl {
    static final int MAX_UNANSWERED = 3;
    private final AtomicInteger unanswered = new AtomicInteger();
    private final URL url;

    public MnemoHttpClient(URL url) {
        super(url);
        this.url = url;
    }

    @Override
    ClassicHttpResponse executeOpen(HttpHost httpHost, HttpPost post, HttpClientContext context) throws IOException {
        try {
            ClassicHttpResponse response = super.executeOpen(httpHost, post, context);
            unanswered.set(0);
            return response;
        } catch (NoHttpResponseException e) {
            if (unanswered.incrementAndGet() >= MAX_UNANSWERED) {
                unanswered.set(0);
                throw new UncheckedIOException("the server at " + url + " closed the connection without an answer "
                        + MAX_UNANSWERED + " times in a row" + ("http".equals(url.getProtocol())
                        ? " (if it serves HTTPS, add ;ssl=true to the URL)" : ""), e);
            }
            throw e;
        }
    }
}
