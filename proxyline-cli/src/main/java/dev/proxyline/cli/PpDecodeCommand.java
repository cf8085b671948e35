package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.io.InputStream;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code proxyline pp decode}: decodes one hex-encoded connection start per line. */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = {
            "Decode PROXY protocol headers: hex lines in, JSON lines out.",
            "",
            "Reads one hex string per line on standard input: everything a peer sent before it closed the"
                + " connection. Prints one JSON object per line:",
            "  {\"ok\":true,\"version\":…,\"command\":…,\"family\":…,\"transport\":…,\"src\":…,\"srcPort\":…,"
                + "\"dst\":…,\"dstPort\":…,\"useConnectionAddresses\":…,\"tlvs\":[…],\"headerLength\":…,"
                + "\"trailingPayloadHex\":…}",
            "or {\"ok\":false,\"reason\":\"<label>\",\"message\":…}. An input that ends inside a header is"
                + " \"truncated\", an empty line \"empty\", bad hex \"invalid_hex\"."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the input was read (whatever the verdicts)", "1:standard input could not be read, or standard output written",
            "2:usage error"})
final class PpDecodeCommand extends LineToolCommand {
    @Spec
    CommandSpec spec;

    private int maxHeaderLength = ProxyHeaderDecoder.V2_MAX_LENGTH;

    PpDecodeCommand(InputStream stdin) {
        super(stdin);
    }

    @Option(names = "--max-header-length", paramLabel = "BYTES", defaultValue = "" + ProxyHeaderDecoder.V2_MAX_LENGTH,
            description = "Refuse v2 headers longer than this, the 16 fixed bytes included (v2_too_long), as a receiver"
                    + " with that buffer would. ${DEFAULT-VALUE} bytes by default, the protocol's maximum;"
                    + " at least " + ProxyHeaderDecoder.V1_MAX_LENGTH + ".")
    void maxHeaderLength(int bytes) {
        if (bytes < ProxyHeaderDecoder.V1_MAX_LENGTH || bytes > ProxyHeaderDecoder.V2_MAX_LENGTH) {
            throw new ParameterException(spec.commandLine(), "--max-header-length must be "
                    + ProxyHeaderDecoder.V1_MAX_LENGTH + "-" + ProxyHeaderDecoder.V2_MAX_LENGTH + " bytes, got " + bytes);
        }
        maxHeaderLength = bytes;
    }

    @Override
    protected CommandSpec spec() {
        return spec;
    }

    @Override
    protected Function<String, ObjectNode> verdict() {
        return new HexLineDecoder(new ProxyHeaderDecoder(maxHeaderLength))::decode;
    }
}
