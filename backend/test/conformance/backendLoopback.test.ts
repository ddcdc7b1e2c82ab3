// The conformance suite through the real backend process (default isolation) over loopback.
import { loopbackConformanceSuite } from "./loopbackSuite.js";

loopbackConformanceSuite();
