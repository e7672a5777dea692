package dev.imperium.cli;

import dev.imperium.config.ConfigException;
import dev.imperium.config.ConfigLoader;
import dev.imperium.config.Diagnostic;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.VassalConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code imperium check FILE...}: validates vassal files the way {@code nginx -t} validates its config. Each problem
 * is printed as {@code FILE:LINE: error|unsupported|warning: message}. Nothing is run: {@code @(exec://...)} is
 * reported, not executed.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate vassal files without running anything.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no file has an error or an unsupported option", "1:at least one file does", "2:usage"})
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "vassal files, optionally FILE:section")
    private List<String> files;

    @Override
    public Integer call() {
        boolean failed = false;
        LoaderOptions options = new LoaderOptions(System.getenv(), false, Path.of("").toAbsolutePath());
        for (String file : files) {
            try {
                VassalConfig config = new ConfigLoader(options).load(file);
                for (Diagnostic d : config.diagnostics()) {
                    System.out.println(d.format());
                }
                System.out.println(file + ": ok");
            } catch (ConfigException e) {
                failed = true;
                for (Diagnostic d : e.diagnostics()) {
                    System.out.println(d.format());
                }
            }
        }
        return failed ? 1 : 0;
    }
}
