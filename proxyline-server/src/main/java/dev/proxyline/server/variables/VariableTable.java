package dev.proxyline.server.variables;

import dev.proxyline.config.CaptureVariable;
import dev.proxyline.config.MapBlock;
import dev.proxyline.config.Position;
import dev.proxyline.config.SetRule;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The variables of the stream or the http module, by name: looked up once, when a template is
 * compiled, never per session. Names are case-insensitive, as in nginx.
 *
 * <p>The http table has every stream variable and nginx's http variables ({@link HttpVariable}), and
 * the names with a field: {@code $http_NAME}, {@code $sent_http_NAME}, {@code $cookie_NAME},
 * {@code $arg_NAME} ({@link FieldVariable}).
 *
 * <p>{@code $proxy_protocol_tlv_NAME} takes nginx's names ({@code alpn}, {@code authority},
 * {@code unique_id}, {@code ssl}, {@code netns}, {@code ssl_version}, {@code ssl_cn},
 * {@code ssl_cipher}, {@code ssl_sig_alg}, {@code ssl_key_alg}, {@code ssl_verify}), a hex type
 * ({@code 0x01}, {@code ssl_0x21}), and proxyline's {@code aws_vpce_id}, {@code azure_pel_id} and
 * {@code gcp_psc_id}. Unlike nginx, which logs an unknown TLV name on every connection, an unknown name
 * is refused when the template is compiled.
 */
public final class VariableTable {
    static final String TLV_PREFIX = "proxy_protocol_tlv_";

    private static final Map<String, Integer> TLV_NAMES = Map.of(
            "alpn", 0x01, "authority", 0x02, "unique_id", 0x05, "ssl", 0x20, "netns", 0x30);
    private static final Map<String, Integer> SSL_NAMES = Map.of(
            "version", 0x21, "cn", 0x22, "cipher", 0x23, "sig_alg", 0x24, "key_alg", 0x25);

    private final Map<String, Variable> fixed;
    private final boolean http;

    private VariableTable(Map<String, Variable> fixed, boolean http) {
        this.fixed = Map.copyOf(fixed);
        this.http = http;
    }

    /**
     * The stream variables.
     *
     * @param zone     the zone of {@code $time_local} and {@code $time_iso8601} (nginx uses the local zone)
     * @param hostname {@code $hostname}, found once at startup (see {@code runtime.Hostnames})
     * @param pid      {@code $pid}
     */
    public static VariableTable stream(ZoneId zone, String hostname, long pid) {
        Map<String, Variable> all = streamVariables(zone, hostname, pid);
        // The stream module's only: nginx's http has no $ssl_preread_*.
        for (PrereadVariable variable : PrereadVariable.values()) {
            all.put(variable.variableName(), variable);
        }
        // The stream ssl module's: the http ones of the same names read the request's exchange instead.
        for (StreamTlsVariable variable : StreamTlsVariable.values()) {
            all.put(variable.variableName(), variable);
        }
        return new VariableTable(all, false);
    }

    /**
     * The http variables: the stream ones and nginx's http ones, which read the snapshot's
     * {@link SessionSnapshot#http() exchange} (in a snapshot without one they are not found, so a log
     * line shows {@code -}).
     *
     * @param zone     the zone of {@code $time_local} and {@code $time_iso8601}
     * @param hostname {@code $hostname}
     * @param pid      {@code $pid}
     */
    public static VariableTable http(ZoneId zone, String hostname, long pid) {
        Map<String, Variable> all = streamVariables(zone, hostname, pid);
        for (HttpVariable variable : HttpVariable.values()) {
            all.put(variable.variableName(), variable); // replaces the stream $status, $bytes_sent, $realip_*
        }
        return new VariableTable(all, true);
    }

    private static Map<String, Variable> streamVariables(ZoneId zone, String hostname, long pid) {
        Map<String, Variable> all = new HashMap<>();
        for (Builtin builtin : Builtin.values()) {
            all.put(builtin.variableName(), builtin);
        }
        all.put("time_local", new TimeVariable("time_local", TimeVariable.LOCAL, zone));
        all.put("time_iso8601", new TimeVariable("time_iso8601", TimeVariable.ISO8601, zone));
        all.put("hostname", new ConstantVariable("hostname", ByteStrings.fromUtf8(hostname.toLowerCase(Locale.ROOT))));
        all.put("pid", new ConstantVariable("pid", Long.toString(pid)));
        return all;
    }

    /**
     * This table with the variables of {@code maps} added (see {@link MapVariable}); each problem (a map named like
     * a variable that exists, an unknown variable in its source or a value, a map that uses itself) is added to
     * {@code problems} as {@code file:line:column: message}, and the maps with problems are left out.
     */
    public VariableTable withMaps(List<MapBlock> maps, List<String> problems) {
        Map<String, Variable> all = new HashMap<>(fixed);
        Map<MapBlock, MapVariable> variables = new LinkedHashMap<>();
        for (MapBlock map : maps) {
            String name = map.variable().toLowerCase(Locale.ROOT);
            if (find(name).isPresent()) {
                problems.add(map.position() + ": \"map\" cannot define \"$" + map.variable()
                        + "\": a variable of that name exists");
                continue;
            }
            MapVariable variable = new MapVariable(name);
            variables.put(map, variable);
            all.put(name, variable);
        }
        VariableTable table = new VariableTable(all, http);
        Map<MapVariable, Position> defined = new LinkedHashMap<>();
        for (Map.Entry<MapBlock, MapVariable> entry : variables.entrySet()) {
            try {
                entry.getValue().define(MapCompiler.compile(entry.getKey(), table));
                defined.put(entry.getValue(), entry.getKey().position());
            } catch (TemplateException e) {
                problems.add(e.getMessage());
            }
        }
        for (Map.Entry<MapVariable, Position> map : defined.entrySet()) {
            MapCompiler.usesItself(map.getKey()).ifPresent(path -> problems.add(map.getValue()
                    + ": \"map\" variable \"$" + map.getKey().variableName() + "\" uses itself (" + path + ")"));
        }
        return table;
    }

    /**
     * This table with the variables that {@code set} assigns and those a regex's match assigns ({@code captures}),
     * in order, each name once (each gets its index there; a named group shares the slot of a {@code set} of its
     * name, as nginx lets a capture assign a {@code set} variable). A {@code set} of nginx's own variable is added to
     * {@code problems} with its position; so is a named group called like nginx's variable (nginx -t: "the duplicate
     * variable") or like one of {@code mapNames}, each naming its directive.
     */
    public VariableTable withSets(List<SetRule> sets, List<CaptureVariable> captures, Set<String> mapNames,
                                  List<String> problems) {
        Map<String, Variable> all = new HashMap<>(fixed);
        int index = 0;
        for (SetRule set : sets) {
            if (all.get(set.variable()) instanceof SetVariable || CHANGEABLE.contains(set.variable())) {
                continue;
            }
            if (find(set.variable()).isPresent()) {
                problems.add(set.position() + ": \"set\" cannot assign \"$" + set.variable()
                        + "\": it is a variable of its own (nginx's, or a map's)");
                continue;
            }
            all.put(set.variable(), new SetVariable(set.variable(), index++));
        }
        for (CaptureVariable capture : captures) {
            String name = capture.variable();
            if (all.get(name) instanceof SetVariable) {
                continue;
            }
            if (find(name).isPresent()) {
                problems.add(capture.position() + ": the duplicate \"" + name + "\" variable: the \""
                        + capture.directive() + "\" regex's named group \"" + name + "\" is a variable of nginx's");
            } else if (mapNames.contains(name)) {
                problems.add(capture.position() + ": the \"" + capture.directive() + "\" regex's named group \""
                        + name + "\" is the variable of a map (nginx lets its match replace the map's value; proxyline"
                        + " does not)");
            } else {
                all.put(name, new SetVariable(name, index++));
            }
        }
        return new VariableTable(all, http);
    }

    /** nginx's own variables that {@code set} may change; the request's facts hold them, not a set slot. */
    public static final Set<String> CHANGEABLE = Set.of("args");

    /** How many variables {@code set} assigns: the length of a request's set values. */
    public int setSlots() {
        return (int) fixed.values().stream().filter(v -> v instanceof SetVariable).count();
    }

    /** The variable called {@code name} (without {@code $}); empty if there is none. */
    public Optional<Variable> find(String name) {
        Objects.requireNonNull(name, "name");
        String lower = name.toLowerCase(Locale.ROOT);
        Variable variable = fixed.get(lower);
        if (variable != null) {
            return Optional.of(variable);
        }
        if (lower.startsWith(TLV_PREFIX)) {
            return tlv(lower, lower.substring(TLV_PREFIX.length()));
        }
        return http ? FieldVariable.parse(lower) : Optional.empty();
    }

    /**
     * The variable called {@code name}.
     *
     * @throws TemplateException naming the variable, with a hint for TLV names
     */
    public Variable require(String name) {
        return find(name).orElseThrow(() -> new TemplateException(unknownMessage(name)));
    }

    /** Every fixed name, sorted, for messages and documentation. */
    public Set<String> names() {
        return new TreeSet<>(fixed.keySet());
    }

    String unknownMessage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!http && isHttpName(lower)) {
            return "unknown variable \"$" + name + "\" (an http variable; the stream module does not have it)";
        }
        if (lower.startsWith(TLV_PREFIX)) {
            return "unknown PROXY protocol TLV in variable \"$" + name + "\" (expected alpn, authority, unique_id, ssl,"
                    + " netns, ssl_version, ssl_cn, ssl_cipher, ssl_sig_alg, ssl_key_alg, ssl_verify, aws_vpce_id,"
                    + " azure_pel_id, gcp_psc_id, 0xNN or ssl_0xNN)";
        }
        return "unknown variable \"$" + name + "\"";
    }

    private static boolean isHttpName(String lower) {
        for (HttpVariable variable : HttpVariable.values()) {
            if (variable.variableName().equals(lower)) {
                return true;
            }
        }
        return FieldVariable.parse(lower).isPresent();
    }

    private static Optional<Variable> tlv(String full, String suffix) {
        switch (suffix) {
            case "aws_vpce_id":
                return Optional.of(new TlvVariable(full, TlvVariable.Kind.AWS_VPCE_ID, 0xEA));
            case "azure_pel_id":
                return Optional.of(new TlvVariable(full, TlvVariable.Kind.AZURE_PEL_ID, 0xEE));
            case "gcp_psc_id":
                return Optional.of(new TlvVariable(full, TlvVariable.Kind.GCP_PSC_ID, 0xE0));
            case "ssl_verify":
                return Optional.of(new TlvVariable(full, TlvVariable.Kind.SSL_VERIFY, 0x20));
            default:
        }
        if (suffix.startsWith("ssl_")) {
            String sub = suffix.substring(4);
            Integer type = SSL_NAMES.get(sub);
            int t = type != null ? type : hexType(sub);
            return t < 0 ? Optional.empty() : Optional.of(new TlvVariable(full, TlvVariable.Kind.SSL_SUB, t));
        }
        Integer type = TLV_NAMES.get(suffix);
        int t = type != null ? type : hexType(suffix);
        return t < 0 ? Optional.empty() : Optional.of(new TlvVariable(full, TlvVariable.Kind.RAW, t));
    }

    /** {@code 0xNN} with one or more hex digits and a value up to 0xFF, as nginx's ngx_hextoi; else -1. */
    private static int hexType(String text) {
        if (text.length() < 3 || text.length() > 6 || !text.startsWith("0x")) {
            return -1;
        }
        int value = 0;
        for (int i = 2; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value <= 0xFF ? value : -1;
    }
}
