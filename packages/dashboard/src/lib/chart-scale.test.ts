import { describe, expect, it } from 'vitest';
import { axisTicks } from './chart-scale.js';

describe('axisTicks', () => {
  it('gives whole-number steps for counts', () => {
    expect(axisTicks(3, true)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(5, true)).toEqual([0, 2, 4, 6]);
    expect(axisTicks(0, true)).toEqual([0, 1]);
    expect(axisTicks(1234, true)).toEqual([0, 500, 1000, 1500]);
  });
  it('gives round steps for rates and durations', () => {
    expect(axisTicks(33.3, false)).toEqual([0, 10, 20, 30, 40]);
    expect(axisTicks(1.75, false)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(axisTicks(0, false)).toEqual([0, 0.5]);
  });
});
