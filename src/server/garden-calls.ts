// Whether the garden's API server has called us since start: the garden webhook configuration points at
// its own path, so a configuration applied where gardener-apiserver never reads it shows up as no calls.
export class GardenCalls {
  count = 0;
  lastAt?: number;

  record(): void {
    this.count++;
    this.lastAt = Date.now();
  }
}
