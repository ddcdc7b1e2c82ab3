// One way of calling the fixture app's functions. The conformance suite runs
// the same assertions through every driver: convex-test (the reference for
// Convex semantics), the engine in process, and the backend over loopback.
export interface Driver {
  query(name: string, args?: Record<string, unknown>): Promise<any>;
  mutation(name: string, args?: Record<string, unknown>): Promise<any>;
  action(name: string, args?: Record<string, unknown>): Promise<any>;
  /** Whether clients can be refused internal functions (convex-test calls anything). */
  enforcesVisibility: boolean;
  /** Whether transaction limits and value limits are enforced like Convex Cloud. */
  enforcesLimits: boolean;
  /**
   * Whether error texts are Convex's own ("ArgumentValidationError: …", "… does not
   * match the schema: …"). convex-test words them differently; Convex decides.
   */
  convexErrorTexts: boolean;
  /** Whether Date.now is frozen during a query or mutation, as Convex documents. */
  freezesTime: boolean;
  /** Whether search results come in relevance order (Convex's BM25); convex-test keeps creation order. */
  ranksSearchResults: boolean;
}
