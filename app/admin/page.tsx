// The instructor view (/admin): the login form, or the class. Without ADMIN_TOKEN there is no instructor view.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { AdminLogin } from '@/components/admin/admin-login';
import { ClassView } from '@/components/admin/class-view';
import '@/components/admin/admin.css';
import { isAdmin } from '@/lib/server/admin-auth';
import { getServices } from '@/lib/server/services';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Instructor view', robots: { index: false } };

export default async function AdminPage() {
  const services = getServices();
  const token = services.config.adminToken;
  if (!token) {
    return (
      <div className="page admin">
        <h1>No instructor view</h1>
        <p>
          This server has no instructor token. Set <code>ADMIN_TOKEN</code> (16 characters or more) in its configuration and restart it; then log in
          here with that token.
        </p>
      </div>
    );
  }
  const h = await headers();
  if (!isAdmin({ secret: services.secret, adminToken: token }, { cookie: h.get('cookie') })) {
    return (
      <div className="page admin">
        <AdminLogin />
      </div>
    );
  }
  // The engine may still be starting: the view fetches the class itself then.
  const initial = await services.instructor.snapshot().catch(() => undefined);
  return <ClassView initial={initial} />;
}
