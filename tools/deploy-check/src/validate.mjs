// Reads a JSON array of Kubernetes objects on stdin and prints a JSON array of
// the problems the Kubernetes API schemas find in them (kubernetes-models,
// which is published as ES modules only: hence a script of its own).
const input = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
  }),
);
const problems = [];
for (const object of input) {
  const where = `${object.kind} ${object.metadata?.name}`;
  try {
    const module = await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
    const Model = module[object.kind];
    if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    problems.push(`${where}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
