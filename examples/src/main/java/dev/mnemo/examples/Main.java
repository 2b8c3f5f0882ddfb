package dev.mnemo.examples;

import java.io.IOException;
import java.sql.SQLException;

/** Runs both walkthroughs of the Mnesia lesson: on the engine API, then through JDBC. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        System.out.println("== The Mnesia lesson on Mnemo's engine API");
        Walkthrough.main(args);
        System.out.println();
        System.out.println("== The Mnesia lesson through JDBC (jdbc:mnemo:)");
        JdbcWalkthrough.main(args);
    }
}
