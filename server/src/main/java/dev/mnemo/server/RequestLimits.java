package dev.mnemo.server;

import java.io.IOException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Refuses a request whose body is larger than the limit (HTTP 413) or of unknown length (411) before any of it is
 * read, and before authentication, so that neither a client nor a stranger can make the server buffer a large body.
 * Avatica's requests are POSTs with a Content-Length.
 */
final class RequestLimits extends HandlerWrapper {
    private final long maxBytes;

    RequestLimits(Handler next, long maxBytes) {
        this.maxBytes = maxBytes;
        setHandler(next);
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException, javax.servlet.ServletException {
        long length = request.getContentLengthLong();
        if ("POST".equals(request.getMethod()) && length < 0) {
            refuse(base, response, HttpServletResponse.SC_LENGTH_REQUIRED);
        } else if (length > maxBytes) {
            refuse(base, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        } else {
            super.handle(target, base, request, response);
        }
    }

    private static void refuse(Request base, HttpServletResponse response, int status) throws IOException {
        base.setHandled(true);
        response.setHeader("Connection", "close");
        response.sendError(status);
    }
}
