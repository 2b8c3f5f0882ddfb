package dev.mnemo.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Calls a tool makes of DatabaseMetaData, for tests here and in other modules (the driver's test jar). */
public final class MetadataCalls {
    private MetadataCalls() {
    }

    /** The no-argument DatabaseMetaData methods that throw, with what they threw (result sets are read through). */
    public static List<String> failingNoArgumentMethods(DatabaseMetaData md) {
        List<String> failing = new ArrayList<>();
        for (java.lang.reflect.Method m : DatabaseMetaData.class.getMethods()) {
            if (m.getParameterCount() > 0 || m.getName().equals("unwrap")) {
                continue;
            }
            try {
                Object result = m.invoke(md);
                if (result instanceof ResultSet rs) {
                    try (rs) {
                        while (rs.next()) {
                            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                                rs.getObject(i);
                            }
                        }
                    }
                }
            } catch (java.lang.reflect.InvocationTargetException e) {
                failing.add(m.getName() + ": " + e.getCause());
            } catch (ReflectiveOperationException | SQLException e) {
                failing.add(m.getName() + ": " + e);
            }
        }
        return failing;
    }
}
