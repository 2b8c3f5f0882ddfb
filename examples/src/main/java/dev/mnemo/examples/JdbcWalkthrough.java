package dev.mnemo.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The Mnesia lesson through JDBC: the users and sessions tables with an index, the blog (authors, posts indexed by
 * author, comments as a bag), and the bank transfer that rolls back on insufficient funds. Tables are created with
 * SQL DDL; Mnesia's options go in {@code WITH (…)}.
 */
public final class JdbcWalkthrough {
    private final PrintStream out;

    JdbcWalkthrough(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException, SQLException {
        Path dir = args.length > 0 ? Path.of(args[0], "jdbc") : Files.createTempDirectory("mnemo-jdbc-walkthrough");
        try {
            new JdbcWalkthrough(System.out).run("jdbc:mnemo:" + dir);
        } finally {
            if (args.length == 0) {
                Walkthrough.deleteTree(dir);
            }
        }
    }

    void run(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            usersAndSessions(c);
            blog(c);
            bank(c);
            out.println("explain: " + query(c, "explain plan for select name from users where id = 1").get(0).trim()
                    .replace('\n', ' '));
        }
    }

    private void usersAndSessions(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table users (id bigint primary key, name varchar not null, email varchar, "
                    + "created_at timestamp)");
            s.execute("create table sessions (session_id varchar primary key, user_id bigint, data varchar, "
                    + "expires_at timestamp) with (storage = ram_copies)");
            s.execute("create index sessions_user on sessions (user_id)");
            s.executeUpdate("insert into users values (1, 'Alice', 'alice@example.com', timestamp '2024-01-01 10:00:00'),"
                    + " (2, 'Bob', 'bob@example.com', timestamp '2024-01-01 11:00:00')");
            s.executeUpdate("update users set name = 'Alice Smith' where id = 1");
            s.executeUpdate("delete from users where id = 2");
            s.executeUpdate("insert into sessions values ('sess_1', 1, 'dark', timestamp '2024-01-02 10:00:00'), "
                    + "('sess_2', 1, 'light', timestamp '2024-01-02 11:00:00'), "
                    + "('sess_3', 2, 'auto', timestamp '2024-01-02 12:00:00')");
        }
        out.println("users: " + query(c, "select id, name from users order by id"));
        out.println("sessions of user 1: " + query(c, "select session_id from sessions where user_id = 1 "
                + "order by session_id"));
    }

    private void blog(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table authors (id bigint primary key, name varchar, email varchar, bio varchar)");
            s.execute("create table posts (id bigint primary key, title varchar, content varchar, author_id bigint, "
                    + "published_at timestamp)");
            s.execute("create index posts_author on posts (author_id)");
            s.execute("create table comments (post_id bigint, author_name varchar, content varchar, "
                    + "created_at timestamp) with (type = bag)");
            s.executeUpdate("insert into authors values (1, 'Jane Doe', 'jane@example.com', 'Tech writer')");
            s.executeUpdate("insert into posts values (10, 'Getting Started with Mnesia', '...', 1, "
                    + "timestamp '2024-01-01 15:00:00'), (11, 'Transactions', '...', 1, timestamp '2024-01-02 09:00:00')");
            s.executeUpdate("insert into comments values (10, 'Bob Reader', 'Great post!', timestamp '2024-01-01 15:30:00'),"
                    + " (10, 'Bob Reader', 'Still great.', timestamp '2024-01-03 08:00:00')");
        }
        out.println("posts by author 1: " + query(c, "select title from posts where author_id = 1 order by id"));
        out.println("comments per post: " + query(c, "select p.title, count(*) from posts p join comments k "
                + "on k.post_id = p.id group by p.title"));
    }

    private void bank(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table accounts (owner varchar primary key, balance bigint not null)");
            s.executeUpdate("insert into accounts values ('alice', 100), ('bob', 50)");
        }
        out.println("transfer 30 alice->bob: " + transfer(c, "alice", "bob", 30));
        out.println("transfer 500 alice->bob: " + transfer(c, "alice", "bob", 500));
        out.println("balances: " + query(c, "select owner, balance from accounts order by owner"));
    }

    /** The lesson's transfer: one transaction, rolled back when the payer cannot pay. */
    static String transfer(Connection c, String from, String to, long amount) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement read = c.prepareStatement("select balance from accounts where owner = ?");
             PreparedStatement write = c.prepareStatement("update accounts set balance = balance + ? where owner = ?")) {
            read.setString(1, from);
            long balance;
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                balance = rs.getLong(1);
            }
            if (balance < amount) {
                c.rollback();
                return "rolled back: insufficient_funds";
            }
            write.setLong(1, -amount);
            write.setString(2, from);
            write.executeUpdate();
            write.setLong(1, amount);
            write.setString(2, to);
            write.executeUpdate();
            c.commit();
            return "committed";
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static List<String> query(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getObject(i));
                }
                rows.add(sb.toString());
            }
        }
        return rows;
    }
}
