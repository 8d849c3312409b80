// Deterministic sums across a workgroup, the one place that fixes their order: invocation t
// starts with its own value, then for half = size/2, size/4, ..., 1 the invocations below half
// add the value `half` places up. Every bit of the result depends on the workgroup size and the
// values only, never on scheduling (no atomics). Two quantities summed together (vec2) follow the
// same order each, so they get the bits of two separate trees.
// The workgroup size must be a power of two. Include after `layout(local_size_x ...) in;`
// (before it glslang takes gl_WorkGroupSize to be 1). Every invocation of the workgroup must
// call these (they contain barriers).
shared vec2 workgroup_tree[gl_WorkGroupSize.x];

// The sums over the workgroup of every invocation's v; every invocation gets them.
vec2 workgroup_sum2(vec2 v) {
    const uint t = gl_LocalInvocationID.x;
    workgroup_tree[t] = v;
    barrier();
    for (uint half_ = gl_WorkGroupSize.x / 2; half_ > 0; half_ /= 2) {
        if (t < half_) workgroup_tree[t] += workgroup_tree[t + half_];
        barrier();
    }
    const vec2 total = workgroup_tree[0];
    barrier();   // everyone has read the total before a next call overwrites it
    return total;
}

float workgroup_sum(float v) { return workgroup_sum2(vec2(v, 0.0)).x; }
