// Starts a standalone (non-cloud) Apache Solr 9 on 127.0.0.1 with the
// cores found under a solr home. Run as a single-file program:
//   java -cp "$(cat classpath.txt)" SolrLauncher.java SOLR_HOME PORT
// The Solr server classes come from Maven Central (solr-core through
// solr-test-framework, which carries the embeddable JettySolrRunner).
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class SolrLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SolrLauncher SOLR_HOME PORT");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("no solr.xml in " + home);
      System.exit(2);
    }
    // Solr refuses to start without an install dir; ours is the home itself.
    System.setProperty("solr.install.dir", home.toString());
    System.setProperty("solr.solr.home", home.toString());
    System.setProperty("host", "127.0.0.1");
    System.setProperty("jetty.host", "127.0.0.1");

    JettyConfig config = new JettyConfig.Builder()
        .setPort(port)
        .setContext("/solr")
        .stopAtShutdown(true)
        .useOnlyHttp1(true)
        .build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), new Properties(), config);
    runner.start();
    System.out.println("Solr listening on " + runner.getBaseUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    Thread.currentThread().join();
  }
}
