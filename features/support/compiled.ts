import { BeforeAll } from '@cucumber/cucumber';
import { ensureCompiled } from '@traderadmin/test-support';

// Scenarios spawn bin/traderadmin.mjs, which runs the compiled dist/: build it when stale.
BeforeAll({ timeout: 120_000 }, () => ensureCompiled());
