package dev.mnemo.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;

/**
 * A {@link Service} that hands a failure's SQLState to the client. Avatica's JDBC Meta wraps a driver's
 * SQLException in a RuntimeException, which its handler reports with SQLState 00000 ("unknown"); this wrapper
 * finds the SQLException and reports its message, state and error code instead.
 */
final class SqlStateService {
    private SqlStateService() {
    }

    static Service wrap(Service service) {
        return (Service) Proxy.newProxyInstance(Service.class.getClassLoader(), new Class<?>[] {Service.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(service, args);
                    } catch (InvocationTargetException e) {
                        throw translate(e.getCause());
                    }
                });
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
