package dev.imperium.emperor.pgsql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * uWSGI's PostgreSQL imperial monitor ({@code --emperor 'pg://CONNINFO;QUERY'}, {@code plugins/emperor_pg}): every
 * {@code emperor-freq} seconds it connects, runs the query and brings a private directory of vassal files in line
 * with the rows ({@link PgsqlRows}, {@link VassalMaterializer}); the emperor watches that directory like any other.
 * As uWSGI, each poll opens a new connection (nothing is held between polls, a restarted server is simply used at the
 * next one) and a poll that fails changes nothing: the vassals keep running as they are until the database answers.
 *
 * <p>Log lines (through {@code log}, each a whole line for the emperor's log): uWSGI's {@code [emperor] enabled
 * emperor PostgreSQL monitor} at start; a failed poll once per distinct error, then once when it works again; each
 * unusable row once while it stays so.
 */
public final class PgsqlMonitor implements AutoCloseable {
    private final PgsqlSource source;
    private final VassalMaterializer files;
    private final Duration period;
    private final boolean tyrant;
    private final Predicate<String> isVassalName;
    private final Consumer<String> log;
    private final ScheduledExecutorService poller;

    // Confined to the poller thread.
    private String lastError;
    private Set<String> lastProblems = Set.of();
    private boolean everRead;

    /**
     * Creates a monitor; nothing happens until {@link #start()}.
     *
     * @param source the database and query
     * @param files the private directory to keep in line
     * @param period how often to poll ({@code emperor-freq})
     * @param tyrant whether uid and gid columns are required (tyrant mode)
     * @param isVassalName which names are vassal file names
     * @param log receives whole log lines
     */
    public PgsqlMonitor(PgsqlSource source, VassalMaterializer files, Duration period, boolean tyrant,
                        Predicate<String> isVassalName, Consumer<String> log) {
        this.source = Objects.requireNonNull(source);
        this.files = Objects.requireNonNull(files);
        this.period = period;
        this.tyrant = tyrant;
        this.isVassalName = isVassalName;
        this.log = log;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imperium-pgsql");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling: at once, then every period. */
    public void start() {
        log.accept("[emperor] enabled emperor PostgreSQL monitor: " + source.describe() + ", polled every "
                + period.toSeconds() + " s, vassal files in " + files.directory());
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Polls now, on the poller thread (SIGWINCH, tests); returns without waiting. */
    public void pollSoon() {
        try {
            poller.execute(this::pollQuietly);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException | LinkageError e) {
            log.accept("[emperor-pg] internal error while polling " + source.describe() + ": " + e);
        }
    }

    /** One poll: query, then apply. */
    void poll() {
        List<String[]> rows;
        try {
            rows = query();
        } catch (SQLException e) {
            String message = oneLine(e);
            if (!message.equals(lastError)) {
                log.accept("[emperor-pg] cannot read the vassals from " + source.describe() + ": " + message
                        + (everRead ? "; its vassals keep running as they are" : ""));
                lastError = message;
            }
            return;
        }
        if (lastError != null) {
            log.accept("[emperor-pg] reading the vassals from " + source.describe() + " again");
            lastError = null;
        }
        everRead = true;
        PgsqlRows.Result result = PgsqlRows.read(rows, tyrant, isVassalName);
        Set<String> problems = new HashSet<>(result.problems());
        for (String p : result.problems()) {
            if (!lastProblems.contains(p)) {
                log.accept("[emperor-pg] " + p);
            }
        }
        lastProblems = problems;
        for (String note : files.apply(result)) {
            log.accept("[emperor-pg] " + note);
        }
    }

    private List<String[]> query() throws SQLException {
        int timeout = (int) Math.max(2, Math.min(10, period.toSeconds() * 2));
        org.postgresql.Driver driver = new org.postgresql.Driver();
        try (Connection c = driver.connect(source.jdbcUrl(), source.jdbcProperties(timeout))) {
            if (c == null) {
                throw new SQLException("the PostgreSQL driver refused the URL " + source.jdbcUrl());
            }
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(timeout);
                try (ResultSet rs = st.executeQuery(source.query())) {
                    ResultSetMetaData md = rs.getMetaData();
                    int columns = Math.min(md.getColumnCount(), 6);
                    if (columns < 3) {
                        throw new SQLException("the query returns " + md.getColumnCount() + " column"
                                + (md.getColumnCount() == 1 ? "" : "s") + "; it must return name, config, ts[, uid, "
                                + "gid[, socket]]");
                    }
                    boolean tsIsTimestamp = md.getColumnType(3) == Types.TIMESTAMP
                            || md.getColumnType(3) == Types.TIMESTAMP_WITH_TIMEZONE;
                    List<String[]> rows = new ArrayList<>();
                    while (rs.next()) {
                        String[] row = new String[columns];
                        for (int i = 0; i < columns; i++) {
                            row[i] = rs.getString(i + 1);
                        }
                        if (tsIsTimestamp) { // a timestamp column as it is: its epoch seconds
                            Timestamp ts = rs.getTimestamp(3);
                            row[2] = ts == null ? null : Long.toString(Math.floorDiv(ts.getTime(), 1000L));
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
        }
    }

    private static String oneLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) {
            m += " (" + cause.getMessage() + ")";
        }
        return m.replace('\n', ' ').replace('\r', ' ').trim();
    }

    /** Stops polling; the files stay (the emperor is stopping its vassals). */
    public void stopPolling() {
        poller.shutdownNow();
    }

    /** Stops polling and removes the private directory. */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        files.removeAll();
    }
}
