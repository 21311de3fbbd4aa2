// The pods lab-pods creates (sandbox/rootfs/opt/ebpf-labs/bin/lab-pods): what a terminal's `pod` may name, and what
// the datapath sampler counts. A lab that makes pods of its own declares them in lab.yaml (pods:).
export const LAB_PODS = ['client', 'server'] as const;
