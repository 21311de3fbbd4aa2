# Regenerates the typical mistakes' patches (mistakes/<step>/<name>.patch) from the reference files in
# solutions/files, so that they still apply after the reference changes: python3 authoring/make-mistake-patches.py
# An author's tool: it is not part of the lab's files, and not copied into sandboxes (solutions/files is).
import subprocess, sys, os, tempfile
base=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..') + '/'
tmp=tempfile.mkdtemp(prefix='mk-')
def mk(step, name, fname, old, new, count=1):
    src=open(base+'solutions/files/'+fname).read()
    assert src.count(old)==count, (name, src.count(old))
    dst=src.replace(old,new)
    os.makedirs(tmp+'/a',exist_ok=True); os.makedirs(tmp+'/b',exist_ok=True)
    open(tmp+'/a/'+fname,'w').write(src); open(tmp+'/b/'+fname,'w').write(dst)
    out=subprocess.run(['diff','-u','--label','a/'+fname,'--label','b/'+fname,tmp+'/a/'+fname,tmp+'/b/'+fname],capture_output=True,text=True).stdout
    open(f'{base}mistakes/{step}/{name}.patch','w').write(out)
P='splice-proxy.c'; B='splice.bpf.c'
mk('03-splice','todo1-empty',P,'''		n = splice(from, NULL, c->pipe[i][1], NULL, BUF_SIZE, SPLICE_F_MOVE);
		for (ssize_t left = n; left > 0;) {
			ssize_t w = splice(c->pipe[i][0], NULL, to, NULL, left, SPLICE_F_MOVE);

			if (w <= 0)
				return -1;
			left -= w;
		}
''','''		n = 0;
''')
mk('03-splice','todo3-close-both',P,'''				shutdown(c->fd[!i], SHUT_WR);
				c->open[i] = 0;
''','''				return; /* ends both directions at once */
''')
mk('03-splice','todo3-no-shutdown',P,'''				shutdown(c->fd[!i], SHUT_WR);
				c->open[i] = 0;
''','''				c->open[i] = 0;
''')
mk('05-splice-the-sockets','todo2-own-cookie',P,'''		__u64 key = cookie(c->fd[i]), value = c->fd[!i];''','''		__u64 key = cookie(c->fd[i]), value = c->fd[i];''')
mk('05-splice-the-sockets','todo2-empty',P,'''	for (int i = 0; i < 2; i++) {
		__u64 key = cookie(c->fd[i]), value = c->fd[!i];

		if (bpf_map_update_elem(socks_map, &key, &value, BPF_NOEXIST) < 0)
			return -1;
	}
''','')
mk('05-splice-the-sockets','bpf-todo3-ingress',B,'''bpf_sk_redirect_hash(skb, &splice_socks, &key, 0)''','''bpf_sk_redirect_hash(skb, &splice_socks, &key, BPF_F_INGRESS)''')
