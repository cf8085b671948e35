package dev.proxyline.config;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code worker_cpu_affinity}: which CPUs each worker thread may run on, as nginx binds its worker processes.
 * CPU sets are {@link BitSet}s, bit {@code n} for CPU {@code n}; the configuration writes them as binary masks
 * with CPU 0 rightmost ({@code 0101} is CPUs 0 and 2).
 */
public sealed interface WorkerCpuAffinity {

    /**
     * The CPUs worker {@code worker} (0-based) is to be bound to.
     *
     * @param allowed the CPUs the process may use (its affinity at start)
     * @return the set to bind to; empty when no CPU qualifies (an {@code auto} limit outside {@code allowed})
     */
    Optional<BitSet> cpusOf(int worker, BitSet allowed);

    /**
     * {@code worker_cpu_affinity auto [mask];}: worker {@code n} gets the {@code n}-th CPU, counting around, of
     * those the process may use, within {@code limit} when one is given.
     */
    record Auto(Optional<BitSet> limit) implements WorkerCpuAffinity {
        public Auto {
            Objects.requireNonNull(limit, "limit");
            limit = limit.map(l -> (BitSet) l.clone());
        }

        @Override
        public Optional<BitSet> cpusOf(int worker, BitSet allowed) {
            BitSet candidates = (BitSet) allowed.clone();
            limit.ifPresent(candidates::and);
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            int cpu = candidates.nextSetBit(0);
            for (int skip = worker % candidates.cardinality(); skip > 0; skip--) {
                cpu = candidates.nextSetBit(cpu + 1);
            }
            BitSet one = new BitSet();
            one.set(cpu);
            return Optional.of(one);
        }
    }

    /**
     * {@code worker_cpu_affinity mask ...;}: worker {@code n} gets mask {@code n}; workers past the last mask get
     * the last one, as in nginx.
     */
    record Masks(List<BitSet> masks) implements WorkerCpuAffinity {
        public Masks {
            masks = masks.stream().map(m -> (BitSet) m.clone()).toList();
            if (masks.isEmpty() || masks.stream().anyMatch(BitSet::isEmpty)) {
                throw new IllegalArgumentException("masks must be non-empty sets: " + masks);
            }
        }

        @Override
        public Optional<BitSet> cpusOf(int worker, BitSet allowed) {
            return Optional.of((BitSet) masks.get(Math.min(worker, masks.size() - 1)).clone());
        }
    }
}
