/** Test-side views of the provider: RFC 7662 introspection with HTTP Basic, and waiting. */

export async function introspect(baseUrl: string, client: { client_id: string; client_secret: string }, token: string): Promise<{ active: boolean; [k: string]: unknown }> {
    const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64');
    const res = await fetch(`${baseUrl}/o/introspect/`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ token }).toString(),
    });
    if (res.status !== 200) {
        throw new Error(`introspection answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    return (await res.json()) as { active: boolean };
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
