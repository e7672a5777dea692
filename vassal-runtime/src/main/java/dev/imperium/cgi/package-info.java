/**
 * CGI (RFC 3875) as uWSGI's CGI plugin runs it ({@code cgi}, {@code cgi-helper}, {@code cgi-allowed-ext},
 * {@code cgi-index}, {@code cgi-timeout} ...): {@link dev.imperium.cgi.CgiHandler} serves a request by running the
 * script its path names as a process. The decisions are pure and tested alone: which script
 * ({@link dev.imperium.cgi.CgiResolver}, which reads the file system), its environment
 * ({@link dev.imperium.cgi.CgiEnvironment}), its arguments ({@link dev.imperium.cgi.CgiArguments}) and the reading
 * of its response head ({@link dev.imperium.cgi.CgiResponseParser}).
 */
package dev.imperium.cgi;
