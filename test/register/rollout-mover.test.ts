// The shoot mover is what the rollout loop asks of a move: checked by the type checker, so wiring it in is one line.
import { expectTypeOf, it } from 'vitest';
import type { ShootMoving } from '../../src/register/rollout-mover.js';
import type { ShootMover } from '../../src/register/shoot-mover.js';

it('the shoot mover fits the loop', () => {
  expectTypeOf<ShootMover>().toExtend<ShootMoving>();
});
