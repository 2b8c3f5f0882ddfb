package dev.mnemo.engine.records;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.ReadOnlyTableException;
import dev.mnemo.engine.BadRecordException;
import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableExistsException;
import dev.mnemo.engine.TableTransform;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens the table of a record class: creates it at the latest migration version, or runs the pending migration
 * steps as one {@link Mnemo#alterTable} (so all of them apply, with the version bump, or none), or checks that the
 * table already has the shape the class declares.
 */
final class Migrator {
    private final Mnemo db;
    private final RecordMapping mapping;
    private final Migrations migrations;
    private final String table;

    Migrator(Mnemo db, RecordMapping mapping, Migrations migrations) {
        this.db = db;
        this.mapping = mapping;
        this.migrations = migrations;
        this.table = mapping.table();
    }

    MigrationReport open() {
        long latest = migrations.latest();
        TableDef declared = mapping.tableDef();
        if (!db.tables().contains(table)) {
            try {
                db.createTable(declared.toBuilder().userProperty(Migrations.VERSION_PROPERTY, latest).build());
                return new MigrationReport(table, 0, latest, true, List.of());
            } catch (TableExistsException raced) {
                // created by another thread meanwhile: check or migrate it below
            }
        }
        MigrationReport report = upToDate(latest, declared);
        if (report == null) {
            MigrationReport[] planned = new MigrationReport[1];
            try {
                alter(declared, latest, planned);
            } catch (BadRecordException | SchemaException | ReadOnlyTableException e) {
                throw new MigrationException("migrating table " + table + " to version " + latest + " ("
                        + className() + "): " + e.getMessage() + "; the table is unchanged", e);
            }
            report = planned[0];
        }
        if (mapping.autoincrement()) {
            Sequences.atLeast(db, table, maxIntegerKey());
        }
        return report;
    }

    /**
     * The report for a table already at {@code latest} that matches the class, read without any lock (the common
     * case on every open); null when it needs the locked path (older version, or a mismatch to report).
     */
    private MigrationReport upToDate(long latest, TableDef declared) {
        TableDef current = db.tableDef(table);
        long stored = versionOf(current);
        if (stored != latest) {
            return null;
        }
        checkShape(current, declared, stored);
        return new MigrationReport(table, stored, stored, false, List.of());
    }

    /** The largest integer key of the table, 0 if none: an autoincrement counter must not hand out a key in use. */
    private long maxIntegerKey() {
        long max = 0;
        for (Object k : db.dirtyAllKeys(table)) {
            if (k instanceof Long l && l > max) {
                max = l;
            }
        }
        return max;
    }

    private void alter(TableDef declared, long latest, MigrationReport[] report) {
        db.alterTable(table, current -> {
            long stored = versionOf(current);
            report[0] = new MigrationReport(table, stored, stored, false, List.of());
            if (stored > latest) {
                throw new MigrationException("table " + table + " is at migration version " + stored + " but "
                        + mapping.recordClass().getSimpleName() + "'s migrations end at version " + latest
                        + "; the database was written by newer code");
            }
            if (stored == latest) {
                checkShape(current, declared, stored);
                return null;
            }
            return plan(current, declared, stored, latest, report);
        });
    }

    private static long versionOf(TableDef def) {
        Object v = def.userProperties().get(Migrations.VERSION_PROPERTY);
        if (v == null) {
            return 0;
        }
        if (v instanceof Long l && l >= 0) {
            return l;
        }
        throw new MigrationException("table " + def.name() + ": user property " + Migrations.VERSION_PROPERTY
                + " is " + v + "; expected a migration version, a non-negative integer");
    }

    private TableTransform plan(TableDef current, TableDef declared, long stored, long latest,
                                MigrationReport[] report) {
        String prefix = "migrating table " + table + " from version " + stored + " to " + latest;
        for (String property : current.userProperties().keySet()) {
            if (property.startsWith("sql.")) {
                throw new MigrationException(prefix + ": the table was defined through SQL (user property " + property
                        + "); change its columns with SQL ALTER TABLE, not with migrations");
            }
        }
        if (current.type() != declared.type() || current.storage() != declared.storage()) {
            throw new MigrationException(prefix + ": the table is " + current.type().mnesiaName() + " "
                    + current.storage().mnesiaName() + " but " + className() + " declares "
                    + declared.type().mnesiaName() + " " + declared.storage().mnesiaName()
                    + "; migrations do not change the table type or storage");
        }
        List<String> attributes = new ArrayList<>(current.attributes());
        Set<String> indexes = new LinkedHashSet<>(current.indexes());
        List<Long> stepVersions = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        for (Map.Entry<Long, List<Step>> v : migrations.after(stored).entrySet()) {
            for (Step s : v.getValue()) {
                try {
                    s.plan(attributes, indexes);
                } catch (IllegalArgumentException e) {
                    throw new MigrationException(prefix + ": version " + v.getKey() + ", step '" + s + "': "
                            + e.getMessage());
                }
                stepVersions.add(v.getKey());
                steps.add(s);
                applied.add("version " + v.getKey() + ": " + s);
            }
        }
        String mismatch = mismatch(attributes, new TreeSet<>(indexes), declared, false);
        if (mismatch != null) {
            throw new MigrationException(prefix + ": after the steps the table would not match " + className()
                    + ": " + mismatch);
        }
        TableDef.Builder target = declared.toBuilder().accessMode(current.accessMode());
        current.userProperties().forEach(target::userProperty);
        target.userProperty(Migrations.VERSION_PROPERTY, latest);
        List<String> from = current.attributes();
        List<String> to = declared.attributes();
        String recordName = declared.recordName();
        report[0] = new MigrationReport(table, stored, latest, false, applied);
        return new TableTransform(target.build(), record -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < from.size(); i++) {
                row.put(from.get(i), record.get(i + 1));
            }
            for (int i = 0; i < steps.size(); i++) {
                try {
                    row = steps.get(i).apply(row);
                } catch (RuntimeException e) {
                    throw new MigrationException(prefix + ": version " + stepVersions.get(i) + ", step '"
                            + steps.get(i) + "' failed on record " + Terms.format(record) + ": " + e.getMessage()
                            + "; the table is unchanged", e);
                }
                if (row == null) {
                    return null;
                }
            }
            Object[] out = new Object[to.size() + 1];
            out[0] = recordName;
            for (int i = 0; i < to.size(); i++) {
                out[i + 1] = row.get(to.get(i));
            }
            Tuple migrated = Tuple.of(out);
            try {
                mapping.fromTuple(migrated);
            } catch (RuntimeException e) {
                throw new MigrationException(prefix + ": record " + Terms.format(record) + " would become "
                        + Terms.format(migrated) + ", which " + className() + " cannot read: " + e.getMessage()
                        + "; the table is unchanged", e);
            }
            return migrated;
        });
    }

    /** Checks a table already at the latest version against the class. */
    private void checkShape(TableDef current, TableDef declared, long version) {
        List<String> problems = new ArrayList<>();
        String attrs = mismatch(current.attributes(), new TreeSet<>(current.indexes()), declared, true);
        if (attrs != null) {
            problems.add(attrs);
        }
        if (attrs == null && !current.types().equals(declared.types())) {
            for (int i = 0; i < current.types().size(); i++) {
                AttrType was = current.types().get(i);
                AttrType wants = declared.types().get(i);
                if (was != wants) {
                    problems.add("attribute " + current.attributes().get(i) + " is " + was + " in the table but "
                            + wants + " in the class");
                }
            }
        }
        if (current.type() != declared.type()) {
            problems.add("the table is " + current.type().mnesiaName() + " but the class declares "
                    + declared.type().mnesiaName());
        }
        if (current.storage() != declared.storage()) {
            problems.add("the table is " + current.storage().mnesiaName() + " but the class declares "
                    + declared.storage().mnesiaName());
        }
        if (!current.recordName().equals(declared.recordName())) {
            problems.add("its record name is " + current.recordName() + " but the class declares "
                    + declared.recordName());
        }
        if (!problems.isEmpty()) {
            throw new MigrationException("table " + table + " (migration version " + version + ") does not match "
                    + className() + ": " + String.join("; ", problems) + ". Declare a new migration version with "
                    + "the steps from the table's shape to the class's");
        }
    }

    /** How attribute names (in order when {@code ordered}) and indexes differ from the class; null when they agree. */
    private String mismatch(List<String> attributes, Set<String> indexes, TableDef declared, boolean ordered) {
        List<String> problems = new ArrayList<>();
        List<String> want = declared.attributes();
        if (!attributes.get(0).equals(want.get(0))) {
            problems.add("the key attribute is " + attributes.get(0) + " but the class's is " + want.get(0));
        }
        Set<String> missing = new LinkedHashSet<>(want);
        missing.removeAll(attributes);
        Set<String> extra = new LinkedHashSet<>(attributes);
        extra.removeAll(want);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            problems.add("attributes are " + attributes + " but the class has " + want
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; not in the class "
                    + extra));
        } else if (ordered && !attributes.equals(want)) {
            problems.add("attributes are in the order " + attributes + " but the class has " + want);
        }
        Set<String> wantIdx = new TreeSet<>(declared.indexes());
        if (!indexes.equals(wantIdx)) {
            problems.add("indexes are " + indexes + " but the class declares " + wantIdx);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private String className() {
        return mapping.recordClass().getSimpleName();
    }
}
