export { compileExpression, expressionProblem, type CompiledExpression, type CompileOptions, type Scope } from './compile';
export { ExpressionError, MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_NODES, MAX_TREE_DEPTH, parseExpression } from './parse';
export { hasOwn, truthy, isBlank, toNumber, toText, type Value } from './values';
export { FUNCTIONS, type EvalContext } from './functions';
