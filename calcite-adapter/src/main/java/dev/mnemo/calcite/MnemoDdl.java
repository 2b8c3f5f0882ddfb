package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * SQL DDL for Mnemo tables: parses one statement and carries it out with the engine's schema operations, storing
 * each table the way {@link SqlShape} reads it.
 *
 * <h2>Grammar</h2>
 * Keywords are case-insensitive. Identifiers are unquoted ({@code [A-Za-z_$][A-Za-z0-9_$]*}) or "double-quoted"
 * ({@code ""} for a quote); either way their case is kept as written, and table and column names must be valid
 * engine names (letters, digits, '_', '$', not starting with a digit). Whitespace, {@code -- line} and
 * {@code /* block *}{@code /} comments are skipped; a statement may end with one ';'.
 * <pre>
 * CREATE TABLE [IF NOT EXISTS] table ( element [, element]* ) [WITH ( option = value [, option = value]* )]
 *     element    := column type [constraint]*  |  [CONSTRAINT name] PRIMARY KEY ( column [, column]* )
 *                 |  [CONSTRAINT name] FOREIGN KEY ( column [, column]* ) references
 *     constraint := NOT NULL | NULL | PRIMARY KEY | DEFAULT default | references
 *                 | GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [( [START WITH n] [INCREMENT BY n] )]
 *                 | AUTO_INCREMENT | AUTOINCREMENT | IDENTITY [( start, increment )]
 *     references := REFERENCES table [( column [, column]* )] [ON DELETE action] [ON UPDATE action]
 *     action     := NO ACTION | RESTRICT | CASCADE | SET NULL
 *     default    := literal | CURRENT_DATE | CURRENT_TIME | CURRENT_TIMESTAMP | LOCALTIMESTAMP
 * CREATE INDEX [IF NOT EXISTS] [index] ON table ( column )
 * DROP TABLE [IF EXISTS] table
 * DROP INDEX [IF EXISTS] index [ON table]
 * TRUNCATE [TABLE] table
 * ALTER TABLE table ADD [COLUMN] column type [NOT NULL] [DEFAULT default]
 * ALTER TABLE table DROP [COLUMN] column
 * ALTER TABLE table ADD [CONSTRAINT name] FOREIGN KEY ( column [, column]* ) references
 * ALTER TABLE table DROP CONSTRAINT [IF EXISTS] name
 * CREATE [OR REPLACE] VIEW view [( column [, column]* )] AS query
 * DROP VIEW [IF EXISTS] view
 * CHECKPOINT [SYNC]
 * BACKUP TO 'file'
 * DUMP TO 'file'
 * LOAD FROM 'file' [CLEAR | KEEP | RECREATE]
 * </pre>
 *
 * <p>{@code CHECKPOINT} (and H2's {@code CHECKPOINT SYNC}, the same here) returns once every commit so far is written
 * to the commit log and on the device ({@link Mnemo#syncLog}, Mnesia's {@code sync_log}): what an application under
 * a write delay runs to make its commits durable at a point. As other DDL, it first commits the connection's open
 * transaction.
 *
 * <p>{@code BACKUP TO 'file'} (H2's statement) writes an online, consistent backup of every table to the archive
 * {@code file} ({@link Mnemo#backup}, Mnesia's {@code backup}); a relative path is taken from the working directory
 * of the JVM that holds the database. Writers go on meanwhile. A Mnemo server refuses it from its clients (42501),
 * since it writes a file on the server's host: back a served database up with {@code mnemo backup} there. Unlike other
 * DDL it runs on a read-only connection too (it only reads). {@code DUMP TO 'file'} writes the tables as text
 * ({@link Mnemo#dump}, Mnesia's {@code dump_to_textfile}) and also runs on a read-only connection; {@code LOAD FROM
 * 'file'} loads such a file ({@link Mnemo#load}): {@code CLEAR} (the default) replaces each table's records by the
 * dump's, keeping the table's definition here; {@code KEEP} writes the dump's on top; {@code RECREATE} takes the
 * dump's definitions too (so the dump's views, which are stored in a table's definition, come back).
 * A server refuses all three from its clients.
 *
 * <h2>Views</h2>
 * A view is stored in the database (it survives a restart) with its query as written and the columns and types
 * the query had when the view was created or replaced; a statement that names the view runs its query in its
 * place. The query is validated by the connection that runs CREATE VIEW ({@link #execute(Mnemo, String,
 * QueryValidator)}), so the engine-only {@link #execute(Mnemo, String)} refuses CREATE VIEW (0A000). Tables and
 * views share one namespace (42S01 on a clash, in any case); DROP VIEW of a table or DROP TABLE of a view is
 * 42809. Dropping or changing a table a view reads is not refused: the view's next use fails, naming what is
 * missing.
 *
 * <h2>Types</h2>
 * BIGINT, INT, INTEGER, SMALLINT, TINYINT → integer; DOUBLE [PRECISION], FLOAT, REAL → double; DECIMAL, NUMERIC →
 * decimal; VARCHAR, CHAR, CHARACTER [VARYING], TEXT, STRING, CLOB, NCLOB, LONGVARCHAR → string; BOOLEAN → boolean;
 * VARBINARY, BINARY, BLOB, BYTEA, LONGVARBINARY → binary; DATE → date; TIME → time; TIMESTAMP [WITHOUT TIME ZONE] → datetime; TIMESTAMP WITH [LOCAL] TIME
 * ZONE → instant; ANY → any value. Every column's declaration is recorded in user property {@code sql.types}
 * (column → {@code DECIMAL(12,2)}, {@code VARCHAR(20)}, …). A DECIMAL's precision (1 to 38) and scale are its SQL
 * type: values are stored rounded half up to the scale, one whose integer digits exceed the precision is refused
 * (22003), and reads give the declared scale ({@code 5.50}, not {@code 5.5}); {@code DECIMAL} without them holds
 * any decimal as it is. Other lengths and precisions ({@code VARCHAR(20)}, {@code TIMESTAMP(3)}) are recorded
 * but not yet enforced: strings are not truncated.
 *
 * <h2>Literals</h2>
 * {@code 'string'} ({@code ''} for a quote), integers, decimals ({@code 1.5} is a decimal, {@code 1.5e0} a
 * double), optionally signed; TRUE, FALSE, NULL; {@code DATE 'yyyy-mm-dd'}, {@code TIME 'hh:mm:ss'},
 * {@code TIMESTAMP 'yyyy-mm-dd hh:mm:ss'} (with a {@code Z} or {@code +hh:mm} suffix an instant), {@code X'hex'}.
 * A DEFAULT must fit its column: integers widen to DOUBLE and DECIMAL, strings are read as dates and times for
 * DATE, TIME and TIMESTAMP columns, a zone-less timestamp in a TIMESTAMP WITH TIME ZONE column is UTC.
 *
 * <h2>CREATE TABLE</h2>
 * At most one PRIMARY KEY, column-level or table-level. Without one, the first column is the key (Mnesia's rule).
 * With a one-column key the engine attributes are the key column then the others in declared order; with a
 * composite key {@code (k1, k2, ...)} they are the hidden tuple attribute {@code $key} holding
 * {@code {k1, k2, ...}} (so an ordered_set orders rows by k1, then k2, ...) then the other columns. The user
 * properties record the SQL shape: {@code sql.columns} (declared order), {@code sql.not_null} (the NOT NULL and
 * key columns), and for a composite key {@code sql.key} (key order) and {@code sql.key.types}. A table of
 * key columns alone is a set of keys (its engine records hold the key only). NOT NULL is recorded for the SQL layer; the engine itself only refuses a null key.
 * <p>WITH options (names case-insensitive, values strings, bare names, numbers or TRUE/FALSE):
 * {@code type} = set | ordered_set | bag | duplicate_bag (default set); {@code storage} = ram_copies | disc_copies
 * | disc_only_copies (default disc_copies, or ram_copies for an in-memory database); {@code access_mode} =
 * read_write | read_only; {@code record_name} = name (default the table name). Any other option is a user
 * property: {@code user.owner = 'x'} stores property {@code owner}, another dotted name such as
 * {@code app.version = 3} is stored under that name; names starting with {@code sql.} are reserved.
 *
 * <h2>Identity columns and defaults</h2>
 * An identity column (also the types SERIAL and BIGSERIAL) must be an integer column that is the whole primary
 * key; at most one per table. Its values come from the table's counter in the hidden table {@code mnemo_sequences}
 * (the one typed tables with {@code autoincrement} use): never reused, gaps where a transaction aborted. An INSERT
 * that leaves it out (or gives NULL or DEFAULT) gets the next value; GENERATED ALWAYS refuses a value given
 * (428C9) and any UPDATE of it; BY DEFAULT keeps a value given and raises the counter past it. DROP TABLE forgets
 * the counter, TRUNCATE keeps it. A DEFAULT is used by an INSERT that leaves the column out or gives DEFAULT
 * (functions are evaluated per statement). Both are recorded in {@code sql.identity} and {@code sql.defaults}.
 *
 * <h2>Foreign keys</h2>
 * A FOREIGN KEY (or a column's REFERENCES) references the whole primary key of a set or ordered_set table (the
 * same table too), columns of the same types; without a column list it is the parent's key. Its default name is
 * {@code <table>_<columns>_fkey}. It is recorded in the child's {@code sql.foreign_keys}; a one-column foreign key
 * that is not the key gets an index. SQL writes enforce it (23503; see {@code Referential}): MATCH SIMPLE (a null
 * column references nothing), NO ACTION checked at the end of each statement, RESTRICT at once, CASCADE and SET
 * NULL applied to the referencing rows. Writes through the engine API do not check foreign keys. DROP TABLE and
 * TRUNCATE of a table another table references are refused (2BP01); ALTER TABLE ADD FOREIGN KEY checks the rows
 * already there (23503); dropping a column drops the foreign keys on it.
 *
 * <h2>Indexes</h2>
 * An index covers exactly one column and cannot be on a key column (the key is always indexed). Its name,
 * default {@code <table>_<column>_idx}, is recorded in user property {@code sql.indexes} (name → column); index
 * names are unique in the database, and a column has at most one index. IF NOT EXISTS makes an existing index
 * name a no-op; a column already indexed under another name is still an error (42S11). An index made through the
 * engine API is known by its default name. DROP INDEX without ON looks in every table (a name found on several
 * tables, possible only for default names, needs ON).
 *
 * <h2>ALTER TABLE</h2>
 * ADD appends an attribute of the declared type; existing rows get the DEFAULT, or null (NOT NULL without a
 * DEFAULT is refused for a table that has rows). DROP removes the attribute with its index and its entries in the
 * SQL shape; a primary key column cannot be dropped, nor the last column besides the key. Either is one atomic
 * engine transform_table: the records, the attributes and the SQL shape change together.
 *
 * <h2>Errors</h2>
 * Every failure is a {@link SQLException}. Syntax errors are {@link java.sql.SQLSyntaxErrorException}s with
 * SQLState 42000 and a message like {@code DDL syntax error at line 1, column 27: expected ',' or ')' but found
 * 'VARCHA'}; definition errors visible in the text also give their position ({@code DDL error at line L, column
 * C: ...}). SQLStates: table exists 42S01, table not found 42S02, column exists 42S21, column not found 42S22,
 * index exists 42S11, index not found 42S12, constraint not found 42704, a dependent constraint 2BP01, rows that
 * break a new foreign key 23503, an unsupported option 0A000, any other invalid definition 42000 (naming the table,
 * column and what was expected). Engine exceptions keep their message and become the cause: a rejected record 22000, a read-only
 * table 25006, a lock conflict 40001, others HY000.
 *
 * <p>DDL statements on one database are run one at a time; like the engine's schema operations they cannot run
 * inside an engine transaction. CREATE INDEX and DROP INDEX change the index and its recorded name in two steps;
 * between them the index is known by its default name.
 */
public final class MnemoDdl {
    private static final Map<Mnemo, Object> LOCKS = Collections.synchronizedMap(new WeakHashMap<>());

    private MnemoDdl() {
    }

    /**
     * Whether {@code sql} (ignoring leading whitespace and comments, case-insensitive) starts a statement this class
     * handles: CREATE TABLE, CREATE INDEX, DROP TABLE, DROP INDEX, TRUNCATE [TABLE], ALTER TABLE, CHECKPOINT,
     * BACKUP, DUMP or LOAD.
     * Only the first two words are looked at; false for null.
     */
    public static boolean isDdl(String sql) {
        if (sql == null) {
            return false;
        }
        try {
            DdlLexer lexer = new DdlLexer(sql);
            DdlToken first = lexer.next();
            if (first.isWord("TRUNCATE") || first.isWord("CHECKPOINT") || first.isWord("BACKUP") || first.isWord("DUMP")
                    || first.isWord("LOAD")) {
                return true;
            }
            if (!first.isWord("CREATE") && !first.isWord("DROP") && !first.isWord("ALTER")) {
                return false;
            }
            DdlToken second = lexer.next();
            if (first.isWord("CREATE") && second.isWord("OR")) {
                return lexer.next().isWord("REPLACE") && lexer.next().isWord("VIEW");
            }
            return second.isWord("TABLE") || (!first.isWord("ALTER") && (second.isWord("INDEX")
                    || second.isWord("VIEW")));
        } catch (DdlError e) {
            return false;
        }
    }

    /**
     * Whether {@code sql} (ignoring leading whitespace and comments) is a {@code BACKUP}, {@code DUMP} or
     * {@code LOAD} statement, which writes or reads a file where the database is: for a server to refuse it from its
     * clients.
     */
    public static boolean usesFiles(String sql) {
        return java.util.Set.of("BACKUP", "DUMP", "LOAD").contains(firstWord(sql));
    }

    /** Whether {@code sql} only reads the database although it is DDL (BACKUP, DUMP): a read-only connection runs it. */
    public static boolean onlyReads(String sql) {
        return java.util.Set.of("BACKUP", "DUMP").contains(firstWord(sql));
    }

    /** The statement's first token in upper case if it is a word; "" otherwise. */
    private static String firstWord(String sql) {
        if (sql == null) {
            return "";
        }
        try {
            DdlToken t = new DdlLexer(sql).next();
            return t.kind() == DdlToken.Kind.WORD ? t.upper() : "";
        } catch (DdlError e) {
            return "";
        }
    }

    /**
     * Parses and executes one DDL statement against {@code db}; returns the JDBC update count, 0. Throws
     * {@link SQLException}s as the class documentation describes; an engine exception is the cause of the one
     * thrown in its place.
     */
    public static int execute(Mnemo db, String sql) throws SQLException {
        return execute(db, sql, null);
    }

    /**
     * The row type a query would have, or a {@link SQLException} saying why it is not valid SQL here: how a JDBC
     * connection checks the query of a CREATE VIEW.
     */
    @FunctionalInterface
    public interface QueryValidator {
        /** The row type of {@code query}. */
        org.apache.calcite.rel.type.RelDataType rowType(String query) throws SQLException;
    }

    /**
     * Runs one DDL statement as {@link #execute(Mnemo, String)} does, validating the query of a CREATE VIEW with
     * {@code views} (null: CREATE VIEW is refused with 0A000).
     */
    public static int execute(Mnemo db, String sql, QueryValidator views) throws SQLException {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(sql, "sql");
        try {
            DdlStatement statement = DdlParser.parse(sql);
            synchronized (LOCKS.computeIfAbsent(db, d -> new Object())) {
                if (statement instanceof ViewDdl.Create create && views != null) {
                    create.execute(db, views);
                } else {
                    statement.execute(db);
                }
            }
            return 0;
        } catch (DdlError e) {
            throw e.toSqlException();
        } catch (MnemoException e) {
            throw DdlError.translate(e);
        } catch (UnsupportedOperationException e) {
            throw new java.sql.SQLFeatureNotSupportedException(e.getMessage(), DdlError.NOT_SUPPORTED, e);
        } catch (java.io.UncheckedIOException e) {
            // a backup's file could not be written (a full disk, no such directory, a file in the way)
            throw new SQLException(e.getMessage(), "58030", e);
        }
    }
}
