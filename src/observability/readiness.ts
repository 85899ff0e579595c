/** A named condition the server needs before it can answer correctly; false keeps /readyz failing. */
export interface ReadinessCheck {
  name: string;
  ready: () => boolean;
}
