package dev.mnemo.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of the workloads, the same text on every system. */
final class Queries {
    private Queries() {
    }

    static final String USER_COLUMNS = "name varchar(100), email varchar(100), age int";

    static final String PK_LOOKUP = "select name, email, age from users where id = ?";
    /** Plain-Statement variant: the literal key is appended, so every call is new SQL text. */
    static final String PK_LOOKUP_LITERAL = "select name, email, age from users where id = ";
    static final String EMAIL_LOOKUP = "select id, name, age from users where email = ?";
    static final String RANGE = "select id, name, email, age from users where id >= ? and id < ?";
    static final String INSERT = "insert into ins (id, name, email, age) values (?, ?, ?, ?)";
    static final String UPDATE = "update users set age = ? where id = ?";
    /**
     * Every row qualifies ({@code val} is 0..999); the parameter alternates between -1 and 0 so that no two
     * consecutive calls are the same query — H2 otherwise hands back the previous result of an unchanged prepared
     * query over unchanged tables without executing it.
     */
    static final String GROUP_BY = "select grp, avg(val), count(*), max(val) from events where val >= ? group by grp";
    static final String JOIN = "select o.id, o.qty, p.name as product, u.name as customer, u.email from orders o"
            + " join users u on u.id = o.user_id join products p on p.id = o.product_id where o.user_id = ?";

    /** The read queries with sample parameters, for the EXPLAIN of Mnemo's plans printed with the results. */
    static Map<String, String> explained() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pk lookup", PK_LOOKUP.replace("?", "42"));
        m.put("email lookup", EMAIL_LOOKUP.replace("?", "'user42@example.com'"));
        m.put("range", RANGE.replaceFirst("\\?", "1000").replace("?", "2000"));
        m.put("update", UPDATE.replaceFirst("\\?", "1").replace("?", "42"));
        m.put("group by", GROUP_BY.replace("?", "0"));
        m.put("join", JOIN.replace("?", "42"));
        return m;
    }
}
