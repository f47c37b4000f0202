/* Counter-based random numbers: a value is a function of its key (seed, id, step, purpose) alone,
   not of a stream's history, so that a cell's draw is the same whichever rank holds the cell and in
   whatever order the cells are visited. The key's four words are mixed by SplitMix64's finaliser
   (Steele, Lea and Flood 2014; the output function of Java's SplittableRandom), chained so that each
   word passes through the full avalanche. PETSc's own counter-based type (random123) is not in
   Debian's build. */
#include <math.h>
#include "gepsys.h"

static inline uint64_t Mix(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t GepCounterHash(uint64_t seed, uint64_t id, uint64_t step, uint64_t purpose)
{
  const uint64_t golden = 0x9e3779b97f4a7c15ULL;
  uint64_t       h      = Mix(seed + golden);

  h = Mix(h ^ (id + 2 * golden));
  h = Mix(h ^ (step + 3 * golden));
  return Mix(h ^ (purpose + 4 * golden));
}

/* uniform on [0, 1): the top 53 bits */
double GepCounterUniform(uint64_t seed, uint64_t id, uint64_t step, uint64_t purpose)
{
  return (double)(GepCounterHash(seed, id, step, purpose) >> 11) * 0x1.0p-53;
}
