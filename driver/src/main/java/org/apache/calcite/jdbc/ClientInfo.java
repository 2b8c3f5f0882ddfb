package org.apache.calcite.jdbc;

import java.sql.ClientInfoStatus;
import java.sql.SQLClientInfoException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.avatica.MetaImpl.MetaClientInfoProperty;

/**
 * A connection's client info ({@code Connection.setClientInfo}): the three properties JDBC names, which tools such as
 * DBeaver set on connect. They are kept for {@code getClientInfo}; nothing else reads them. A name the driver does
 * not keep is not an error: it becomes a warning on the connection, as JDBC asks.
 */
final class ClientInfo {
    static final int MAX_LENGTH = 255;
    static final List<MetaClientInfoProperty> PROPERTIES = List.of(
            new MetaClientInfoProperty("ApplicationName", MAX_LENGTH, "", "the application using the connection"),
            new MetaClientInfoProperty("ClientHostname", MAX_LENGTH, "", "the host the application runs on"),
            new MetaClientInfoProperty("ClientUser", MAX_LENGTH, "", "the user the application works for"));

    private final Map<String, String> values = new ConcurrentHashMap<>();

    /**
     * Sets (or, for a null value, removes) {@code name}; returns a warning's text for a name not kept, else null.
     * A value longer than {@link #MAX_LENGTH} is refused with SQLState 22001.
     */
    String set(String name, String value) throws SQLClientInfoException {
        if (PROPERTIES.stream().noneMatch(p -> p.name.equals(name))) {
            return "client info property '" + name + "' is not kept; the driver keeps "
                    + PROPERTIES.stream().map(p -> p.name).toList();
        }
        if (value != null && value.length() > MAX_LENGTH) {
            throw new SQLClientInfoException("client info property '" + name + "': a value of " + value.length()
                    + " characters is longer than " + MAX_LENGTH, "22001", Map.of(name,
                    ClientInfoStatus.REASON_VALUE_TRUNCATED));
        }
        if (value == null) {
            values.remove(name);
        } else {
            values.put(name, value);
        }
        return null;
    }

    Properties all() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    void clear() {
        values.clear();
    }
}
