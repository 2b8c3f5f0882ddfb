package dev.mnemo.server;

import java.sql.Connection;
import java.sql.DriverManager;

/** A client process that writes in a transaction and dies without committing (MnemoServerTest starts it). */
final class KilledClient {
    private KilledClient() {
    }

    public static void main(String[] args) throws Exception {
        Connection c = DriverManager.getConnection(args[0]);
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("update accounts set balance = 0 where id = 2");
        c.createStatement().executeUpdate("insert into accounts values (7, 'mal', 7)");
        System.out.println("written");
        System.out.flush();
        Runtime.getRuntime().halt(9); // no close, no commit, no shutdown hooks: as kill -9
    }
}
