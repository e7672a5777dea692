package dev.imperium.emperor;

/**
 * How the emperor shows its fleet: the uWSGI emperor stats server, the Prometheus endpoint and the fleet page.
 *
 * @param statsAddress {@code --emperor-stats} / {@code --emperor-stats-server}: TCP {@code host:port}, a UNIX path
 *     or {@code @abstract}; null for none
 * @param statsHttp {@code --stats-http}: the stats server answers HTTP requests
 * @param statsMinified {@code --stats-minified}: no indentation in the stats JSON
 * @param metricsAddress {@code --emperor-metrics}: {@code host:port} of {@code /metrics}; null for none
 * @param dashboardAddress {@code --emperor-dashboard}: {@code host:port} of the fleet page; null for none
 */
public record MonitoringSettings(String statsAddress, boolean statsHttp, boolean statsMinified,
                                 String metricsAddress, String dashboardAddress) {
    /** No server. */
    public static final MonitoringSettings NONE = new MonitoringSettings(null, false, false, null);

    /** The stats server and /metrics, without the fleet page. */
    public MonitoringSettings(String statsAddress, boolean statsHttp, boolean statsMinified, String metricsAddress) {
        this(statsAddress, statsHttp, statsMinified, metricsAddress, null);
    }
}
