// The conformance suite through a real backend process with isolation workers
// on explicitly (whatever the default is), over loopback.
import { loopbackConformanceSuite } from "../conformance/loopbackSuite.js";

loopbackConformanceSuite({ SEMS_ISOLATION: "workers" });
