import { measureCommand } from '../../bench/measure-command';

describe('measureCommand', () => {
  it("adds up the CPU time of the command's Node processes (what load on a shared machine barely moves)", () => {
    // two Node processes, each hashing for a fixed amount of work
    const work = `node -e "const c=require('node:crypto');let h='';for(let i=0;i<60000;i++)h=c.createHash('sha256').update(h+i).digest('hex')"`;
    const one = measureCommand(work);
    const two = measureCommand(`${work} && ${work}`);
    expect(one.cpuSeconds).toBeGreaterThan(0.02);
    expect(one.peakMiB).toBeGreaterThan(10);
    // the second command runs the same work twice: its CPU time is that of both processes
    expect(two.cpuSeconds).toBeGreaterThan(one.cpuSeconds * 1.4);
  });
});
