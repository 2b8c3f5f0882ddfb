package dev.mnemo.server;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;

/**
 * The {@link Service} the server answers with: Avatica's local service over {@link ServedMeta}, with two additions.
 * <ul>
 *   <li>Each request is counted as activity of its client connection ({@link ServedMeta#begin}/{@link
 *       ServedMeta#end}), whatever kind of request it is, so that only a connection with no request in flight and
 *       none for the idle timeout is closed. (Avatica's own expiry counts only some requests: a client that went on
 *       executing one statement lost its connection mid-transaction.)</li>
 *   <li>A failure's SQLState reaches the client: Avatica's JDBC Meta wraps a driver's SQLException in a
 *       RuntimeException, which its handler reports as SQLState 00000; this finds the SQLException and reports its
 *       message, state and error code.</li>
 * </ul>
 */
final class ServedService {
    private static final Map<Class<?>, Field[]> CONNECTION_FIELDS = new ConcurrentHashMap<>();

    private ServedService() {
    }

    static Service wrap(Service service, ServedMeta meta) {
        return (Service) Proxy.newProxyInstance(Service.class.getClassLoader(), new Class<?>[] {Service.class},
                (proxy, method, args) -> {
                    String connection = args != null && args.length == 1 ? connectionOf(args[0]) : null;
                    ServedMeta.Activity activity = connection == null ? null : meta.begin(connection);
                    try {
                        return method.invoke(service, args);
                    } catch (InvocationTargetException e) {
                        throw translate(e.getCause());
                    } finally {
                        if (activity != null) {
                            meta.end(activity);
                        }
                    }
                });
    }

    /** The client connection a request belongs to: its {@code connectionId}, or its statement handle's. */
    static String connectionOf(Object request) {
        for (Field f : CONNECTION_FIELDS.computeIfAbsent(request.getClass(), ServedService::connectionFields)) {
            try {
                Object v = f.get(request);
                if (v instanceof String id) {
                    return id;
                }
                if (v instanceof Meta.StatementHandle h) {
                    return h.connectionId;
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + f, e);
            }
        }
        return null;
    }

    private static Field[] connectionFields(Class<?> type) {
        return java.util.Arrays.stream(type.getFields())
                .filter(f -> (f.getName().equals("connectionId") && f.getType() == String.class)
                        || f.getType() == Meta.StatementHandle.class)
                .toArray(Field[]::new);
    }

    private static Throwable translate(Throwable e) {
        if (e instanceof AvaticaRuntimeException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return new AvaticaRuntimeException(sql.getMessage(), sql.getErrorCode(), sql.getSQLState(),
                        AvaticaSeverity.ERROR);
            }
        }
        return e;
    }
}
