import baseConfig, { blackBoxTestRules } from '../../eslint.config.mjs';

export default [...baseConfig, { files: ['src/**/*.ts'], rules: blackBoxTestRules }];
