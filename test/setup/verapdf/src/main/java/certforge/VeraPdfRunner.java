package certforge;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.RuleId;

/**
 * Validates PDFs with veraPDF's library, one JVM for all of them.
 *
 * Usage: java -cp ... certforge.VeraPdfRunner <flavour> <file.pdf>...
 * where flavour is a veraPDF flavour id (3b, 2b, ua1, ...). Prints one JSON line per file:
 * {"file","flavour","compliant","failedRules":[{"rule","description","count","example"}]} or
 * {"file","error"} when the file could not be parsed. Exit code 0 whatever the verdicts
 * (the tests read them), 2 for usage errors.
 */
public final class VeraPdfRunner {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: VeraPdfRunner <flavour: 3b|2b|ua1|...> <file.pdf>...");
      System.exit(2);
    }
    PDFAFlavour flavour = PDFAFlavour.byFlavourId(args[0]);
    if (flavour == PDFAFlavour.NO_FLAVOUR) {
      System.err.println("unknown veraPDF flavour: " + args[0]);
      System.exit(2);
    }
    VeraGreenfieldFoundryProvider.initialise();
    for (int i = 1; i < args.length; i++) {
      System.out.println(validate(new File(args[i]), flavour));
      System.out.flush();
    }
  }

  private static String validate(File file, PDFAFlavour flavour) {
    try (PDFAParser parser = Foundries.defaultInstance().createParser(file, flavour);
        PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
      ValidationResult result = validator.validate(parser);
      Map<String, List<String>> failed = new TreeMap<>();
      Map<String, String> descriptions = new HashMap<>();
      for (TestAssertion assertion : result.getTestAssertions()) {
        if (assertion.getStatus() != TestAssertion.Status.FAILED) continue;
        RuleId id = assertion.getRuleId();
        String key = id.getSpecification().getId() + " " + id.getClause() + "-" + id.getTestNumber();
        failed.computeIfAbsent(key, k -> new ArrayList<>()).add(
            assertion.getErrorMessage() != null ? assertion.getErrorMessage() : assertion.getMessage());
        descriptions.putIfAbsent(key, assertion.getMessage());
      }
      StringBuilder out = new StringBuilder();
      out.append("{\"file\":").append(json(file.getPath()))
          .append(",\"flavour\":").append(json(flavour.getId()))
          .append(",\"compliant\":").append(result.isCompliant())
          .append(",\"failedRules\":[");
      boolean first = true;
      for (Map.Entry<String, List<String>> rule : failed.entrySet()) {
        if (!first) out.append(',');
        first = false;
        out.append("{\"rule\":").append(json(rule.getKey()))
            .append(",\"description\":").append(json(descriptions.get(rule.getKey())))
            .append(",\"count\":").append(rule.getValue().size())
            .append(",\"example\":").append(json(rule.getValue().get(0)))
            .append('}');
      }
      return out.append("]}").toString();
    } catch (Exception | LinkageError e) {
      return "{\"file\":" + json(file.getPath()) + ",\"error\":" + json(e.toString()) + "}";
    }
  }

  private static String json(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
