package dev.imperium.config;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads XML files as Debian's uWSGI 2.0 does (built with libxml2: {@code core/xmlconf.c}, the
 * {@code UWSGI_XML_LIBXML2} branch), with the JDK's StAX parser for line numbers.
 *
 * <ul>
 *   <li>The options are the child elements of {@code <uwsgi>}: the root element if it is named {@code uwsgi},
 *       otherwise the first {@code <uwsgi>} child of the root whose {@code id} matches the asked section (a
 *       {@code <uwsgi>} without {@code id} matches any section; with no section asked, the first one counts).</li>
 *   <li>An option element with an {@code id} attribute is skipped when a different section was asked.</li>
 *   <li>An element's value is its text, untrimmed; an element with no content at all ({@code <master/>}) is
 *       {@code 1}.</li>
 *   <li>{@code <app mountpoint="/x">v</app>} (or {@code domain="d"}) becomes {@code mount = /x=v} (or
 *       {@code d|=v}) plus {@code app}; a CDATA section directly in {@code <uwsgi>} becomes {@code eval}.</li>
 *   <li>An option element holding other elements is an error (uWSGI reads garbage or crashes).</li>
 * </ul>
 * DTDs and external entities are not processed.
 */
final class XmlReader implements FormatReader {
    private static final String STANZA = "uwsgi";
    private static final String REPORT_CDATA = "http://java.sun.com/xml/stream/properties/report-cdata-event";

    @Override
    public ReadResult read(Path file, String text, String section, Diagnostics diagnostics) {
        List<RawEntry> entries = new ArrayList<>();
        XMLStreamReader xml = null;
        try {
            xml = factory().createXMLStreamReader(new StringReader(text));
            if (!nextElement(xml)) {
                diagnostics.error(new Origin(file, 0), null, "XML config has no root element");
                return new ReadResult(entries, true, true);
            }
            boolean found;
            if (STANZA.equals(xml.getLocalName())) {
                found = true;
            } else {
                found = findStanza(xml, section);
            }
            if (found) {
                readStanza(file, xml, section, entries, diagnostics);
            }
            return new ReadResult(entries, found, false);
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
            String message = e.getMessage();
            int detail = message.indexOf("Message: ");
            diagnostics.error(new Origin(file, Math.max(line, 0)), null, "XML syntax error: "
                    + (detail >= 0 ? message.substring(detail + 9) : message).strip());
            return new ReadResult(entries, true, true);
        } catch (java.util.MissingResourceException e) {
            // The JDK's StAX parser reports some errors with message keys its bundle lacks (a NUL byte in a DTD:
            // InvalidCharInDTD) and then throws this instead of an XMLStreamException (found by fuzzing).
            int line = xml == null || xml.getLocation() == null ? 0 : xml.getLocation().getLineNumber();
            diagnostics.error(new Origin(file, Math.max(line, 0)), null, "XML syntax error: " + e.getKey()
                    + " (an invalid character)");
            return new ReadResult(entries, true, true);
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the string reader
                }
            }
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        if (factory.isPropertySupported(REPORT_CDATA)) {
            factory.setProperty(REPORT_CDATA, true);
        }
        return factory;
    }

    /** Moves to the next START_ELEMENT; returns false at the end of the document. */
    private static boolean nextElement(XMLStreamReader xml) throws XMLStreamException {
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
        }
        return false;
    }

    /** With the reader on a non-uwsgi root, moves to the start of the matching {@code <uwsgi>} child. */
    private static boolean findStanza(XMLStreamReader xml, String section) throws XMLStreamException {
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                String id = xml.getAttributeValue(null, "id");
                if (STANZA.equals(xml.getLocalName()) && (section == null || id == null || section.equals(id))) {
                    return true;
                }
                skipElement(xml);
            }
        }
        return false;
    }

    private static void readStanza(Path file, XMLStreamReader xml, String section, List<RawEntry> entries,
            Diagnostics diagnostics) throws XMLStreamException {
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                return;
            }
            if (event == XMLStreamConstants.CDATA) {
                entries.add(RawEntry.of("eval", xml.getText(), new Origin(file, xml.getLocation().getLineNumber())));
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                Origin origin = new Origin(file, xml.getLocation().getLineNumber());
                String id = xml.getAttributeValue(null, "id");
                if (section != null && id != null && !section.equals(id)) {
                    skipElement(xml);
                    continue;
                }
                readOption(xml, origin, entries, diagnostics);
            }
        }
    }

    private static void readOption(XMLStreamReader xml, Origin origin, List<RawEntry> entries,
            Diagnostics diagnostics) throws XMLStreamException {
        String name = xml.getLocalName();
        String mountpoint = xml.getAttributeValue(null, "mountpoint");
        String domain = xml.getAttributeValue(null, "domain");
        StringBuilder text = null;
        boolean nested = false;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                break;
            }
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
                        XMLStreamConstants.ENTITY_REFERENCE -> {
                    if (text == null) {
                        text = new StringBuilder();
                    }
                    text.append(xml.getText());
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    nested = true;
                    skipElement(xml);
                }
                default -> {
                    // comments and processing instructions carry no value
                }
            }
        }
        if (nested) {
            diagnostics.error(origin, name, "<" + name + "> must hold only text, not other elements");
            return;
        }
        if (name.equals("app")) {
            if (text != null) {
                String value = text.toString();
                if (mountpoint != null) {
                    value = mountpoint + "=" + value;
                } else if (domain != null) {
                    value = domain + "|=" + value;
                }
                entries.add(RawEntry.of("mount", value, origin));
            }
            entries.add(RawEntry.of("app", "", origin));
            return;
        }
        entries.add(text == null ? new RawEntry(name, "1", origin, true) : RawEntry.of(name, text.toString(), origin));
    }

    private static void skipElement(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    @Override
    public String describeSection(String section) {
        return section == null ? "<uwsgi> element" : "<uwsgi id=\"" + section + "\"> element";
    }
}
