package dev.mnemo.examples;

import java.io.IOException;
import java.sql.SQLException;

/** Runs the walkthroughs of the Mnesia lesson: on the engine API, on typed records, then through JDBC. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        System.out.println("== The Mnesia lesson on Mnemo's engine API");
        Walkthrough.main(args);
        System.out.println();
        System.out.println("== The Mnesia lesson on the typed records API (Memento)");
        RecordsWalkthrough.main(args);
        System.out.println();
        System.out.println("== The Mnesia lesson through JDBC (jdbc:mnemo:)");
        JdbcWalkthrough.main(args);
    }
}
