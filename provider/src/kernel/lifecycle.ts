// Process state the readiness check reports: set by the server while it drains on shutdown.
export class Lifecycle {
  /** True from the shutdown signal on: /readyz answers 503 so load balancers stop sending traffic. */
  draining = false;
}
