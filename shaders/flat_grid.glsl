// The flat index of this invocation in a dispatch whose workgroups are laid out along x and z
// (Recording::dispatch_flat): x holds up to the device's limit, z counts the rows of x. One
// item per invocation and no grid-stride loop, so no loop runs long enough for lavapipe's loop
// limiter (65535 back-edges per invocation before Mesa 25.1) to end it early.
// Include it after the shader's `layout(local_size_x ...) in;`: before that declaration glslang
// takes gl_WorkGroupSize to be (1, 1, 1), and every workgroup but the first indexes wrongly.
uint flat_invocation() {
    return (gl_WorkGroupID.z * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
}
