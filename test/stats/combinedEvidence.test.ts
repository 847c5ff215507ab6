import { describe, expect, it } from 'vitest';
import { fisherCombination } from '../../src/stats/fisherCombination.js';
import { newcombeInterval } from '../../src/stats/newcombeInterval.js';
import { expectClose } from '../helpers/close.js';

describe('fisherCombination', () => {
  it('matches R pchisq on -2 sum(log p)', () => {
    // R: pchisq(-2*sum(log(c(0.01,0.04))), 4, lower.tail=FALSE)
    expectClose(fisherCombination([0.01, 0.04]), 0.0035296184043425195, 1e-12);
    // R: pchisq(-2*sum(log(0.3)), 2, lower.tail=FALSE) — one p-value is itself
    expectClose(fisherCombination([0.3]), 0.3, 1e-12);
    // R: pchisq(-2*sum(log(c(1e-10,0.5,0.9))), 6, lower.tail=FALSE)
    expectClose(fisherCombination([1e-10, 0.5, 0.9]), 1.3888097577002609e-8, 1e-10);
    // R: pchisq(-2*sum(log(c(1,1))), 4, lower.tail=FALSE)
    expect(fisherCombination([1, 1])).toBe(1);
    expect(fisherCombination([0, 0.5])).toBe(0);
  });

  it('rejects what is not a p-value', () => {
    expect(() => fisherCombination([])).toThrow(RangeError);
    expect(() => fisherCombination([1.2])).toThrow(/p-values must be in \[0, 1\]/);
    expect(() => fisherCombination([Number.NaN])).toThrow(RangeError);
  });
});

describe('newcombeInterval', () => {
  // R, from the Wilson intervals of prop.test (Newcombe 1998 method 10):
  // w <- function(k,n) prop.test(k,n,correct=FALSE)$conf.int
  // nc <- function(k1,n1,k2,n2){p1<-k1/n1;p2<-k2/n2;a<-w(k1,n1);b<-w(k2,n2)
  //   c(p1-p2-sqrt((p1-a[1])^2+(b[2]-p2)^2), p1-p2+sqrt((a[2]-p1)^2+(p2-b[1])^2))}
  it('matches the R construction from prop.test Wilson intervals', () => {
    const cases: [number, number, number, number, [number, number]][] = [
      [38, 100, 6, 100, [0.20990827579256327, 0.42306610959327218]], // nc(38,100,6,100)
      [0, 10, 5, 20, [-0.46870087761874396, 0.060010716811079612]], // nc(0,10,5,20)
      [44, 101, 1, 18, [0.15786555402088839, 0.48757744771874961]], // nc(44,101,1,18)
    ];
    for (const [k1, n1, k2, n2, [low, high]] of cases) {
      const [l, h] = newcombeInterval(k1, n1, k2, n2);
      expectClose(l, low, 1e-9, 1e-12, `nc(${k1},${n1},${k2},${n2})`);
      expectClose(h, high, 1e-9, 1e-12, `nc(${k1},${n1},${k2},${n2})`);
    }
  });
});
