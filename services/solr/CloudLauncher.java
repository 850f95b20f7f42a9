// Starts a small SolrCloud on 127.0.0.1 for OGP_SOLR_MODE=cloud: an embedded
// ZooKeeper, one Solr node per port given, CKAN's config set uploaded to it,
// and one collection per name with SHARDS shards x REPLICAS replicas (placed
// so each node holds a replica of every shard). Run as a single-file program:
//   java -cp "$(cat classpath.txt)" CloudLauncher.java BASE_DIR CONF_DIR \
//        PORTS COLLECTIONS SHARDS REPLICAS
// PORTS and COLLECTIONS are comma-separated. The classes come from Maven
// Central's solr-test-framework (MiniSolrCloudCluster).
//
// Once every collection is active it writes BASE_DIR/ready. While it runs it
// watches BASE_DIR/control for files named stop-node-N / start-node-N
// (N = 1-based position in PORTS): stopping a node is how the node-loss
// check takes one away; starting it again reuses its port. Each file is
// deleted once done and the node's state is written to BASE_DIR/nodes.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class CloudLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: CloudLauncher BASE_DIR CONF_DIR PORTS COLLECTIONS SHARDS REPLICAS");
      System.exit(2);
    }
    Path base = Path.of(args[0]).toAbsolutePath();
    Path conf = Path.of(args[1]).toAbsolutePath();
    String[] ports = args[2].split(",");
    String[] collections = args[3].split(",");
    int shards = Integer.parseInt(args[4]);
    int replicas = Integer.parseInt(args[5]);
    Files.createDirectories(base);
    Path control = base.resolve("control");
    Files.createDirectories(control);
    Files.deleteIfExists(base.resolve("ready"));

    System.setProperty("solr.install.dir", base.toString());
    System.setProperty("host", "127.0.0.1");
    System.setProperty("jetty.host", "127.0.0.1");

    JettyConfig common = JettyConfig.builder()
        .setContext("/solr").stopAtShutdown(true).useOnlyHttp1(true).build();
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(0, base.resolve("cluster"), MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML, common);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.shutdown();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));

    List<JettySolrRunner> nodes = new ArrayList<>();
    for (int i = 0; i < ports.length; i++) {
      JettyConfig config = JettyConfig.builder(common).setPort(Integer.parseInt(ports[i].trim())).build();
      nodes.add(cluster.startJettySolrRunner("node" + (i + 1), null, config));
    }
    cluster.waitForAllNodes(60);
    cluster.uploadConfigSet(conf, "ckan");
    for (String name : collections) {
      CollectionAdminRequest.createCollection(name.trim(), "ckan", shards, replicas)
          .process(cluster.getSolrClient());
      cluster.waitForActiveCollection(name.trim(), 120, TimeUnit.SECONDS, shards, shards * replicas);
    }
    writeNodes(base, nodes);
    Files.writeString(base.resolve("ready"), "ready\n");
    System.out.println("SolrCloud ready: " + String.join(",", ports) + " collections " + args[3]);

    while (true) {
      Thread.sleep(200);
      try (var files = Files.list(control)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String cmd = f.getFileName().toString();
          Files.deleteIfExists(f);
          int dash = cmd.lastIndexOf('-');
          if (dash < 0) continue;
          int n;
          try {
            n = Integer.parseInt(cmd.substring(dash + 1)) - 1;
          } catch (NumberFormatException e) {
            continue;
          }
          if (n < 0 || n >= nodes.size()) continue;
          JettySolrRunner node = nodes.get(n);
          if (cmd.startsWith("stop-node-") && !node.isStopped()) {
            System.out.println("stopping node " + (n + 1));
            cluster.stopJettySolrRunner(node);
            cluster.waitForJettyToStop(node);
          } else if (cmd.startsWith("start-node-") && node.isStopped()) {
            System.out.println("starting node " + (n + 1));
            cluster.startJettySolrRunner(node, true);
            cluster.waitForNode(node, 60);
            for (String name : collections) {
              cluster.waitForActiveCollection(name.trim(), 120, TimeUnit.SECONDS, shards, shards * replicas);
            }
          }
          writeNodes(base, nodes);
        }
      }
    }
  }

  private static void writeNodes(Path base, List<JettySolrRunner> nodes) throws Exception {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      out.append(i + 1).append(' ').append(nodes.get(i).isStopped() ? "stopped" : "running").append('\n');
    }
    Path tmp = base.resolve("nodes.tmp");
    Files.writeString(tmp, out.toString());
    Files.move(tmp, base.resolve("nodes"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
