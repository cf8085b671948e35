package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code proxyline pp encode}: builds one header per JSON request line. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = {
            "Encode PROXY protocol headers: JSON lines in, hex lines out.",
            "",
            "Reads one JSON object per line on standard input:",
            "  {\"version\":1|2, \"command\":\"PROXY\"|\"LOCAL\", \"family\":\"TCP4|UDP4|TCP6|UDP6|UNIX|UNSPEC\","
                + " \"transport\":\"STREAM|DGRAM\", \"src\":…, \"srcPort\":…, \"dst\":…, \"dstPort\":…,"
                + " \"crc32c\":true, \"tlvs\":[{\"type\":…, \"hex\":…, \"repeat\":…}]}",
            "Only version is required. src/dst are IP literals or, with family UNIX (or when they contain a /),"
                + " AF_UNIX paths; mixed IPv4/IPv6 is sent as IPv6 with ::ffff:a.b.c.d. LOCAL sends no addresses."
                + " crc32c:true puts a CRC32C TLV first, as HAProxy does; a TLV of type 3 in tlvs is filled in where it"
                + " stands instead. v1 sends UNKNOWN for anything but TCP.",
            "Prints {\"ok\":true,\"hex\":…} or {\"ok\":false,\"reason\":…,\"message\":…} per line; reasons include"
                + " port_out_of_range, path_too_long, header_too_long, not_encodable, tlv_bad_value, invalid_address,"
                + " invalid_input and invalid_json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the input was read (whatever the verdicts)", "1:standard input could not be read, or standard output written",
            "2:usage error"})
final class PpEncodeCommand extends LineToolCommand {
    @Spec
    CommandSpec spec;

    PpEncodeCommand(InputStream stdin) {
        super(stdin);
    }

    @Override
    protected CommandSpec spec() {
        return spec;
    }

    @Override
    protected Function<String, ObjectNode> verdict() {
        return new JsonLineEncoder(new EncodeRequestParser())::encode;
    }
}
