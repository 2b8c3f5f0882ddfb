package dev.mnemo.calcite;

import dev.mnemo.engine.AccessMode;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The WITH options of CREATE TABLE: {@code type}, {@code storage}, {@code access_mode}, {@code record_name}
 * (names case-insensitive), Mnesia's copy lists {@code ram_copies}, {@code disc_copies} and {@code disc_only_copies}
 * (each a string of comma-separated node names, on a cluster node's connection only; kept as user properties of
 * those names for the cluster, see {@link dev.mnemo.engine.CommitGate#COPY_LISTS}), and user properties:
 * {@code user.NAME = v} stores property NAME, any other dotted name
 * is stored as written; names starting with {@code sql.} are reserved for the SQL shape.
 */
final class TableOptions {
    static final String KNOWN = "type, storage, access_mode, record_name, ram_copies, disc_copies, "
            + "disc_only_copies, user.<name> or another dotted name (a user property)";

    private TableOptions() {
    }

    /** Applies the options to {@code b}; the storage defaults to disc_copies, or ram_copies in memory. */
    static void apply(TableDef.Builder b, String table, List<CreateTableDdl.Option> options, boolean inMemory) {
        b.storage(inMemory ? StorageType.RAM_COPIES : StorageType.DISC_COPIES);
        Set<String> seen = new HashSet<>();
        for (CreateTableDdl.Option o : options) {
            String lower = o.name().toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                throw DdlError.at(o.at(), DdlError.INVALID, "option " + o.name() + " is given twice");
            }
            apply(b, table, o, lower);
        }
        if (seen.contains("storage") && dev.mnemo.engine.CommitGate.COPY_LISTS.stream().anyMatch(seen::contains)) {
            throw DdlError.at(options.get(0).at(), DdlError.INVALID, "table " + table + ": give either storage or "
                    + "the copy lists (" + String.join(", ", dev.mnemo.engine.CommitGate.COPY_LISTS) + "), not both:"
                    + " each copy's storage type is the list it is in");
        }
    }

    /** Whether the options make the table a bag or duplicate_bag (a bad value is reported by {@link #apply}). */
    static boolean bag(List<CreateTableDdl.Option> options) {
        for (CreateTableDdl.Option o : options) {
            if (o.name().equalsIgnoreCase("type") && o.value().value() instanceof String s
                    && (s.equalsIgnoreCase("bag") || s.equalsIgnoreCase("duplicate_bag"))) {
                return true;
            }
        }
        return false;
    }

    private static void apply(TableDef.Builder b, String table, CreateTableDdl.Option o, String lower) {
        switch (lower) {
            case "type":
                b.type(TableType.valueOf(choice(o, "set", "ordered_set", "bag", "duplicate_bag")));
                break;
            case "storage":
                b.storage(StorageType.valueOf(choice(o, "ram_copies", "disc_copies", "disc_only_copies")));
                break;
            case "access_mode":
                b.accessMode(AccessMode.valueOf(choice(o, "read_write", "read_only")));
                break;
            case "record_name":
                b.recordName(text(o));
                break;
            case "ram_copies", "disc_copies", "disc_only_copies":
                b.userProperty(lower, nodes(o));
                break;
            default:
                userProperty(b, table, o, lower);
        }
    }

    private static void userProperty(TableDef.Builder b, String table, CreateTableDdl.Option o, String lower) {
        if (lower.startsWith("sql.")) {
            throw DdlError.at(o.at(), DdlError.INVALID, "option " + o.name() + " of table " + table + ": names "
                    + "starting with 'sql.' are reserved for the SQL shape of the table");
        }
        if (lower.startsWith("user.") && o.name().length() > "user.".length()) {
            b.userProperty(o.name().substring("user.".length()), o.value().value());
        } else if (o.name().indexOf('.') >= 0 && !lower.equals("user.")) {
            b.userProperty(o.name(), o.value().value());
        } else {
            throw DdlError.at(o.at(), DdlError.INVALID, "unknown option " + o.name() + " of table " + table
                    + "; known options are " + KNOWN);
        }
    }

    /** The option's value as one of {@code accepted} (case-insensitive), upper-cased for valueOf. */
    private static String choice(CreateTableDdl.Option o, String... accepted) {
        String v = o.value().value() instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if (v == null || !List.of(accepted).contains(v)) {
            throw DdlError.at(o.value().at(), DdlError.INVALID, "option " + o.name() + " cannot be "
                    + o.value().text() + "; expected " + String.join(", ", accepted));
        }
        return v.toUpperCase(Locale.ROOT);
    }

    /** A copy list: node names separated by commas, trimmed, none empty; returned joined by commas. */
    private static String nodes(CreateTableDdl.Option o) {
        List<String> names = o.value().value() instanceof String s ? List.of(s.split(",", -1)) : List.of();
        List<String> out = new java.util.ArrayList<>();
        for (String n : names) {
            out.add(n.trim());
        }
        if (out.isEmpty() || out.contains("")) {
            throw DdlError.at(o.value().at(), DdlError.INVALID, "option " + o.name() + " cannot be "
                    + o.value().text() + "; expected a string of node names separated by commas, like 'n1,n2,n3'");
        }
        return String.join(",", out);
    }

    private static String text(CreateTableDdl.Option o) {
        if (!(o.value().value() instanceof String s) || s.isEmpty()) {
            throw DdlError.at(o.value().at(), DdlError.INVALID, "option " + o.name() + " needs a name, not "
                    + o.value().text());
        }
        return s;
    }
}
