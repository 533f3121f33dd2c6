// One Idempotency-Key per submission: a retry of the same body (after a timeout, a lost
// answer, a reload) reuses it so the cloud answers with the first order instead of making a
// second; a different body gets a fresh key (the cloud would answer 409 otherwise).

/** Where keys survive a reload (sessionStorage in the browser). */
export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Keys for the submissions of one kind (`order`, `booking`). */
export class Submissions {
  constructor(
    private readonly store: KeyStore,
    private readonly kind: string,
    private readonly newKey: () => string = () => crypto.randomUUID(),
  ) {}

  private get slot(): string {
    return `dysa.idem.${this.kind}`;
  }

  /** The key for `body`: the pending one when the body is the same, else a new one. */
  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    const saved = this.store.getItem(this.slot);
    if (saved) {
      try {
        const { key, body: was } = JSON.parse(saved) as { key: string; body: string };
        if (was === text && key) return key;
      } catch {
        /* a damaged entry counts as none */
      }
    }
    const key = this.newKey();
    this.store.setItem(this.slot, JSON.stringify({ key, body: text }));
    return key;
  }

  /** The cloud gave a final answer for this submission: the next one needs a new key. */
  settled(): void {
    this.store.removeItem(this.slot);
  }
}
