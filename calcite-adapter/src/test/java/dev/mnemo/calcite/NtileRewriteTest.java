package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** The NTILE rewrite is one program for every connection: plans rewritten at the same time stay each its own. */
class NtileRewriteTest {
    @Test
    void plansRewrittenByManyThreadsAtOnce_comeOutWhole() throws Exception {
        RelBuilder b = RelBuilder.create(Frameworks.newConfigBuilder().build());
        // a deep plan: 60 projections and filters over a VALUES, so that the walks of different threads overlap
        b.values(new String[] {"a", "b"}, 1, 2, 3, 4);
        for (int i = 0; i < 30; i++) {
            b.filter(b.greaterThan(b.field("a"), b.literal(-i)));
            b.project(b.field("a"), b.field("b"));
        }
        RelNode plan = b.build();
        String expected = RelOptUtil.toString(plan);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                int wrong = 0;
                for (int i = 0; i < 2_000; i++) {
                    RelNode out = NtileRewrite.INSTANCE.run(null, plan, plan.getTraitSet(), List.of(), List.of());
                    if (!RelOptUtil.toString(out).equals(expected)) {
                        wrong++;
                    }
                }
                return wrong;
            }));
        }
        for (Future<Integer> f : fs) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isZero();
        }
        pool.shutdown();
    }
}
