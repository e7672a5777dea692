package dev.imperium.vassal;

import dev.imperium.config.VassalConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * uWSGI's cheaper subsystem, the decisions only (uwsgi-docs "Cheaper"; uWSGI 2.0 {@code core/master_utils.c}
 * {@code uwsgi_calc_cheaper}, {@code uwsgi_cheaper_algo_spare}, {@code uwsgi_cheaper_algo_backlog}): once a second
 * the master gives it what its workers are doing ({@link Sample}) and it answers how many workers to add (positive)
 * or to cheap (negative). {@code processes} stays the maximum, {@code cheaper} is the minimum. Not thread-safe: the
 * master's event loop owns it.
 */
final class Cheaper {
    /** The algorithms uWSGI 2.0 has built in ({@code busyness} is a plugin it loads separately). */
    enum Algo { SPARE, BACKLOG, MANUAL }

    /**
     * The cheaper options, checked as uWSGI's {@code core/init.c} checks them.
     *
     * @param minWorkers {@code cheaper}: the fewest workers kept running; 0 = cheaper mode off
     * @param initialWorkers {@code cheaper-initial}: the workers started first (default {@code cheaper})
     * @param maxWorkers {@code processes}
     * @param step {@code cheaper-step}: the most workers added at once (at least 1)
     * @param overload {@code cheaper-overload}: spare: cycles all workers must be busy before more are added (and
     *     between two cheapings); backlog: the queued connections above which workers are added (default 3)
     * @param algo {@code cheaper-algo}
     * @param rssSoftBytes {@code cheaper-rss-limit-soft}: no worker is added while the workers' resident memory
     *     reaches it (0 = off)
     * @param rssHardBytes {@code cheaper-rss-limit-hard}: one worker is cheaped each cycle while it is reached
     * @param warnings uWSGI's warnings about the values (clamped {@code cheaper-initial}, unknown algorithm), for the
     *     master to log
     */
    record Settings(int minWorkers, int initialWorkers, int maxWorkers, int step, int overload, Algo algo,
            long rssSoftBytes, long rssHardBytes, List<String> warnings) {

        /** Cheaper mode off: every worker runs all the time. */
        static Settings off(int processes) {
            return new Settings(0, processes, processes, 1, 3, Algo.SPARE, 0, 0, List.of());
        }

        /** Returns true when the number of workers adapts to the load. */
        boolean enabled() {
            return minWorkers > 0;
        }

        /**
         * Reads the options.
         *
         * @param processes the maximum number of workers
         * @throws IllegalArgumentException as uWSGI exits: {@code cheaper} not lower than {@code processes}, or an
         *     RSS hard limit without a higher soft one
         */
        static Settings from(VassalConfig config, int processes) {
            int min = config.intValue("cheaper", 0);
            if (min <= 0) {
                return off(processes);
            }
            if (min >= processes) {
                throw new IllegalArgumentException("invalid cheaper value: must be lower than processes");
            }
            List<String> warnings = new ArrayList<>();
            int initial = config.intValue("cheaper-initial", 0);
            if (initial == 0) {
                initial = min;
            } else if (initial < min) {
                warnings.add("warning: invalid cheaper-initial value (" + initial + "), must be equal or higher than"
                        + " cheaper (" + min + "), using " + min + " as initial number of workers");
                initial = min;
            } else if (initial > processes) {
                warnings.add("warning: invalid cheaper-initial value (" + initial + "), must be lower or equal than"
                        + " worker count (" + processes + "), using " + processes + " as initial number of workers");
                initial = processes;
            }
            String name = config.string("cheaper-algo", "spare").trim().toLowerCase(Locale.ROOT);
            Algo algo = switch (name) {
                case "spare" -> Algo.SPARE;
                case "backlog" -> Algo.BACKLOG;
                case "manual" -> Algo.MANUAL;
                default -> {
                    warnings.add("unable to find requested cheaper algorithm, falling back to spare");
                    yield Algo.SPARE;
                }
            };
            long soft = Long.parseLong(config.string("cheaper-rss-limit-soft", "0").trim());
            long hard = Long.parseLong(config.string("cheaper-rss-limit-hard", "0").trim());
            if (hard > 0 && soft <= 0) {
                throw new IllegalArgumentException("enabling cheaper-rss-limit-hard requires setting also"
                        + " cheaper-rss-limit-soft");
            }
            if (hard > 0 && hard <= soft) {
                throw new IllegalArgumentException("cheaper-rss-limit-hard value must be higher than"
                        + " cheaper-rss-limit-soft value");
            }
            return new Settings(min, initial, processes, Math.max(1, config.intValue("cheaper-step", 1)),
                    config.intValue("cheaper-overload", 3), algo, soft, hard, List.copyOf(warnings));
        }
    }

    /**
     * What the workers of the serving generation do at one master cycle.
     *
     * @param active workers running (starting or accepting), not being cheaped
     * @param busy active workers with at least one request in flight
     * @param cheaped slots free for another worker ({@code processes} minus the workers alive)
     * @param backlog connections waiting in the fullest accept queue (TCP sockets; 0 when unknown)
     * @param rssBytes the active workers' resident memory, summed (only read with an RSS limit)
     */
    record Sample(int active, int busy, int cheaped, long backlog, long rssBytes) {
    }

    private final Settings settings;
    private final Consumer<String> log;
    private long overloadCount;
    private long idleCount;
    private int fifoDelta;

    /**
     * Creates the decision state for one set of options.
     *
     * @param settings the options
     * @param log receives uWSGI's log lines ({@code cheaper hard rss memory limit exceeded...})
     */
    Cheaper(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Asks for {@code delta} more workers (negative: fewer) at the next cycle, as the master FIFO's {@code +} and
     * {@code -} do in uWSGI ({@code uwsgi_cheaper_increase}/{@code _decrease}); with {@code cheaper-algo = manual}
     * nothing else changes the count. Bounded by {@code processes} above and {@code cheaper} below when applied.
     * Call on the master's event loop.
     *
     * @param delta workers to add (positive) or cheap (negative)
     * @return false if cheaper mode is off (the request is ignored, as in uWSGI)
     */
    boolean adjustWorkers(int delta) {
        if (!settings.enabled()) {
            return false;
        }
        fifoDelta += delta;
        return true;
    }

    /**
     * Decides one master cycle: how many workers to spawn (positive, at most {@code sample.cheaped()}) or to cheap
     * (negative, never below {@code cheaper}).
     *
     * @param sample what the workers do now
     * @return the change in the number of workers
     */
    int decide(Sample sample) {
        boolean canSpawn = true;
        int needed = 0;
        if (settings.rssSoftBytes() > 0) {
            if (settings.rssHardBytes() > 0 && sample.active() > 1 && sample.rssBytes() >= settings.rssHardBytes()) {
                log.accept("cheaper hard rss memory limit exceeded, cheap one of " + sample.active() + " workers");
                needed = -1;
                canSpawn = false;
            } else if (sample.rssBytes() >= settings.rssSoftBytes()) {
                canSpawn = false;
            }
        }
        if (fifoDelta != 0) {
            if (canSpawn || fifoDelta < 0) {
                needed = fifoDelta;
            }
            fifoDelta = 0;
        } else if (needed == 0) {
            needed = switch (settings.algo()) {
                case SPARE -> spare(sample, canSpawn);
                case BACKLOG -> backlog(sample, canSpawn);
                case MANUAL -> 0;
            };
        }
        if (needed > 0) {
            return Math.min(needed, sample.cheaped());
        }
        return -Math.min(-needed, Math.max(0, sample.active() - settings.minWorkers()));
    }

    /**
     * uWSGI's spare algorithm: a cycle with every worker busy counts as overloaded, a cycle with one idle takes one
     * back; more than {@code cheaper-overload} of them add up to {@code cheaper-step} workers. Once no overload is
     * left, exactly one idle worker is the stable state; with more idle, every {@code cheaper-overload}-th cycle
     * cheaps one.
     */
    private int spare(Sample sample, boolean canSpawn) {
        if (sample.busy() < sample.active()) {
            if (overloadCount > 0) {
                overloadCount--;
            }
        } else {
            overloadCount++;
            idleCount = 0;
        }
        if (canSpawn && overloadCount > settings.overload()) {
            overloadCount = 0;
            return Math.min(settings.step(), sample.cheaped());
        }
        if (overloadCount == 0) {
            if (sample.active() - sample.busy() == 1) {
                return 0;
            }
            idleCount++;
            if (sample.active() > settings.minWorkers() && idleCount % Math.max(1, settings.overload()) == 0) {
                return -1;
            }
        }
        return 0;
    }

    /**
     * uWSGI's backlog algorithm: more than {@code cheaper-overload} connections waiting in the accept queue add up to
     * {@code cheaper-step} workers; fewer cheap one worker per cycle.
     */
    private int backlog(Sample sample, boolean canSpawn) {
        if (canSpawn && sample.backlog() > settings.overload()) {
            return Math.min(settings.step(), sample.cheaped());
        }
        if (sample.backlog() < settings.overload() && sample.active() > settings.minWorkers()) {
            return -1;
        }
        return 0;
    }
}
