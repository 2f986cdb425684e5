export default async function teardown(): Promise<void> {
  await globalThis.__BOOKSHOP_POSTGRES__?.stop();
}
